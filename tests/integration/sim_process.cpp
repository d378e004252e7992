#include "sim_process.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace penlink::test {
namespace {

constexpr std::chrono::seconds kStartLimit{10};

/// Reads one line from fd, waiting at most until deadline. Empty on timeout or EOF.
std::string read_line(int fd, std::chrono::steady_clock::time_point deadline) {
    std::string line;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return {};
        pollfd poller{fd, POLLIN, 0};
        const int ready = ::poll(&poller, 1, static_cast<int>(left.count()));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) return {};
        char c = 0;
        const ssize_t got = ::read(fd, &c, 1);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return {};
        if (c == '\n') return line;
        line.push_back(c);
    }
}

}  // namespace

SimProcess::SimProcess(Link link, const std::vector<std::string>& extra_args) {
    std::vector<std::string> args = {PENLINK_SIM_EXE, "--quiet"};
    if (link == Link::Tcp) {
        args.emplace_back("--tcp");
        args.emplace_back("0");
    } else {
        args.emplace_back("--pty");
    }
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);

    int fds[2];
    // Close-on-exec on both ends, so other children (and other tests' simulators) do not hold
    // this pipe open; dup2 onto the child's stdout clears the flag on that copy only.
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe2: ") + std::strerror(errno));
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    const int error = ::posix_spawn(&pid_, PENLINK_SIM_EXE, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    if (error != 0) {
        ::close(fds[0]);
        pid_ = -1;
        throw std::runtime_error(std::string("cannot start " PENLINK_SIM_EXE ": ") + std::strerror(error));
    }
    stdout_fd_ = fds[0];

    const std::string line = read_line(stdout_fd_, std::chrono::steady_clock::now() + kStartLimit);
    if (line.rfind("PTY ", 0) == 0) {
        pty_path_ = line.substr(4);
        url_ = "serial://" + pty_path_;
    } else if (line.rfind("TCP ", 0) == 0) {
        url_ = "tcp://" + line.substr(4);
    } else {
        stop();
        ::close(stdout_fd_);
        throw std::runtime_error("penlink-sim did not say where it listens (first line: '" + line + "')");
    }
    drain_ = std::thread([fd = stdout_fd_] {
        char buffer[256];
        while (::read(fd, buffer, sizeof buffer) > 0) {
        }
    });
}

SimProcess::~SimProcess() {
    stop();
    // The child is gone, so its end of the pipe is closed and the drain thread sees EOF.
    if (drain_.joinable()) drain_.join();
    if (stdout_fd_ >= 0) ::close(stdout_fd_);
}

bool SimProcess::exited() {
    if (reaped_ || pid_ <= 0) return true;
    int status = 0;
    const pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_ || (done < 0 && errno == ECHILD)) reaped_ = true;
    return reaped_;
}

bool SimProcess::wait_exit(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!exited()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}

void SimProcess::stop() {
    if (exited()) return;
    ::kill(pid_, SIGTERM);
    if (wait_exit(std::chrono::seconds(5))) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    reaped_ = true;
}

}  // namespace penlink::test
