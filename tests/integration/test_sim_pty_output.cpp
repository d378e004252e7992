// penlink-sim's pty output when the host stops reading: the stream goes on once the host reads
// again, and the wait for room leaves no EPOLLOUT behind in the sim's registration of its pty
// master (which would make every later read by the host wake the sim). The host side is a raw
// reader of the real pty, written to by hand.
#include <catch2/catch.hpp>

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/epoll.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "penlink-sim/launcher.hpp"
#include "protocol/frame.hpp"

namespace penlink::test {
namespace {

using Clock = std::chrono::steady_clock;

/// The pty slave, raw, closed at scope end.
class RawPty {
public:
    explicit RawPty(const std::string& path) : fd_(::open(path.c_str(), O_RDWR | O_NOCTTY)) {
        REQUIRE(fd_ >= 0);
        termios raw{};
        REQUIRE(::tcgetattr(fd_, &raw) == 0);
        ::cfmakeraw(&raw);
        REQUIRE(::tcsetattr(fd_, TCSANOW, &raw) == 0);
    }
    ~RawPty() { ::close(fd_); }
    RawPty(const RawPty&) = delete;
    RawPty& operator=(const RawPty&) = delete;

    void send(std::uint16_t seq, const protocol::Message& message) {
        const auto frame = protocol::encode_frame(seq, message);
        REQUIRE(frame);
        REQUIRE(::write(fd_, frame->bytes.data(), frame->size) ==
                static_cast<ssize_t>(frame->size));
    }

    /// Reads for `how_long`, sending a Heartbeat every 100 ms; returns the Status frames seen.
    std::uint64_t read_status_for(std::chrono::milliseconds how_long, std::uint16_t& seq) {
        std::uint64_t frames = 0;
        auto heartbeat_due = Clock::now();
        const auto until = Clock::now() + how_long;
        std::uint8_t buffer[4096];
        for (auto now = Clock::now(); now < until; now = Clock::now()) {
            if (now >= heartbeat_due) {
                send(seq++, protocol::Heartbeat{});
                heartbeat_due = now + std::chrono::milliseconds(100);
            }
            pollfd readable{fd_, POLLIN, 0};
            if (::poll(&readable, 1, 20) <= 0) continue;
            const ssize_t got = ::read(fd_, buffer, sizeof buffer);
            if (got <= 0) FAIL("reading the pty failed: " << got);
            decoder_.feed(
                std::span<const std::uint8_t>(buffer, static_cast<std::size_t>(got)),
                [&](const protocol::DecodedFrame& frame) {
                    if (std::holds_alternative<protocol::Status>(frame.message)) ++frames;
                },
                [](protocol::FrameError) {});
        }
        return frames;
    }

private:
    int fd_;
    protocol::FrameDecoder decoder_;
};

/// The events process pid's epoll sets hold for its descriptors of a pty master (/dev/ptmx),
/// as /proc/<pid>/fdinfo shows them: one entry per registration. The sim holds one such
/// descriptor, and a second (a duplicate) while it waits for room to write.
std::vector<unsigned> ptmx_registrations(pid_t pid) {
    const std::string fds = "/proc/" + std::to_string(pid) + "/fd";
    std::vector<std::string> ptmx, epolls;
    DIR* dir = ::opendir(fds.c_str());
    REQUIRE(dir != nullptr);
    while (const dirent* entry = ::readdir(dir)) {
        if (entry->d_name[0] == '.') continue;
        char target[256] = {};
        const ssize_t n =
            ::readlink((fds + "/" + entry->d_name).c_str(), target, sizeof target - 1);
        if (n <= 0) continue;
        const std::string link(target, static_cast<std::size_t>(n));
        if (link == "/dev/ptmx") ptmx.emplace_back(entry->d_name);
        if (link == "anon_inode:[eventpoll]") epolls.emplace_back(entry->d_name);
    }
    ::closedir(dir);
    std::vector<unsigned> found;
    for (const auto& epoll : epolls) {
        std::ifstream info("/proc/" + std::to_string(pid) + "/fdinfo/" + epoll);
        std::string line;
        while (std::getline(info, line)) {
            std::istringstream words(line);
            std::string tfd_label, tfd, events_label;
            unsigned events = 0;
            if (words >> tfd_label >> tfd >> events_label >> std::hex >> events &&
                tfd_label == "tfd:" && std::find(ptmx.begin(), ptmx.end(), tfd) != ptmx.end())
                found.push_back(events);
        }
    }
    return found;
}

}  // namespace

TEST_CASE(
    "penlink-sim's pty: a host that stops reading, then reads again, gets the stream back "
    "and leaves the sim no write wake-up",
    "[sim][pty]") {
    simtool::SimProcess sim(PENLINK_SIM_EXE, {"--pty", "--quiet", "--max-status-hz", "65535"});
    RawPty host(sim.pty_path());
    std::uint16_t seq = 1;
    host.send(seq++, protocol::Hello{});
    host.send(seq++, protocol::SubscribeStatus{65535});
    // The stream flows. (A sanitizer build on a busy machine gave 995 frames in these 200 ms;
    // a few hundred frames a second still fill the pty within the 300 ms below.)
    REQUIRE(host.read_status_for(std::chrono::milliseconds(200), seq) > 100);

    // The host stops reading (heartbeats go on): the pty fills and the sim's writes find no
    // room. 65,535 frames/s is megabytes a second against the pty's tens of kilobytes.
    for (int i = 0; i < 3; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        host.send(seq++, protocol::Heartbeat{});
    }
    // The stream comes back (a sanitizer build runs the sim far slower than 65,535 Hz).
    CHECK(host.read_status_for(std::chrono::milliseconds(300), seq) > 100);
    // The stream stops and what is on its way is read: once the sim has written its backlog
    // and waits for no room, the master is its only descriptor of the pty.
    host.send(seq++, protocol::SubscribeStatus{0});
    std::vector<unsigned> registrations;
    const auto give_up = Clock::now() + std::chrono::seconds(10);
    do {
        host.read_status_for(std::chrono::milliseconds(100), seq);
        registrations = ptmx_registrations(sim.pid());
    } while (registrations.size() != 1 && Clock::now() < give_up);
    REQUIRE(registrations.size() == 1);
    INFO("events 0x" << std::hex << registrations.front());
    CHECK((registrations.front() & EPOLLIN) != 0);
    CHECK((registrations.front() & EPOLLOUT) == 0);
}

}  // namespace penlink::test
