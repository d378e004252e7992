// SerialTransport against a real pseudo-terminal: the test holds the master side, the
// transport opens the slave path like any tty.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <memory>
#include <thread>

#include "io_helpers.hpp"
#include "penlink/errors.hpp"
#include "transport/serial_ports.hpp"
#include "transport/serial_transport.hpp"
#include "transport/transport_factory.hpp"

using namespace penlink::transport;
using namespace std::chrono_literals;
using penlink::transport::test::Collector;
using penlink::transport::test::IoThread;
using penlink::transport::test::keep_trying;

namespace {

class PseudoTerminal {
public:
    PseudoTerminal() {
        std::array<char, 256> name{};
        int slave = -1;
        REQUIRE(::openpty(&master_, &slave, name.data(), nullptr, nullptr) == 0);
        // The transport opens the slave by path; our own slave fd would only hold it open.
        ::close(slave);
        path_ = name.data();
    }
    ~PseudoTerminal() { close_master(); }
    PseudoTerminal(const PseudoTerminal&) = delete;
    PseudoTerminal& operator=(const PseudoTerminal&) = delete;

    const std::string& path() const { return path_; }

    void write(const std::vector<std::uint8_t>& bytes) {
        REQUIRE(::write(master_, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()));
    }

    /// Reads until count bytes arrived or nothing arrives for the wait limit.
    std::vector<std::uint8_t> read(std::size_t count) {
        std::vector<std::uint8_t> bytes;
        while (bytes.size() < count) {
            pollfd poll_fd{master_, POLLIN, 0};
            if (::poll(&poll_fd, 1, 5000) <= 0) break;
            std::array<std::uint8_t, 512> chunk{};
            ssize_t got = ::read(master_, chunk.data(), chunk.size());
            if (got <= 0) break;
            bytes.insert(bytes.end(), chunk.begin(), chunk.begin() + got);
        }
        return bytes;
    }

    void close_master() {
        if (master_ >= 0) ::close(master_);
        master_ = -1;
    }

private:
    int master_ = -1;
    std::string path_;
};

std::unique_ptr<Transport> serial_for(IoThread& io, const std::string& path,
                                      const std::string& query = {}) {
    return make_transport(parse_url("serial://" + path + query), io.ex);
}

/// A serial transport open on a pty, its collector telling the I/O thread's bytes from others'.
struct OpenPty {
    IoThread io;
    PseudoTerminal pty;
    Collector collector;
    std::unique_ptr<Transport> transport;

    OpenPty() {
        collector.set_io_thread(io.thread_id());
        transport = serial_for(io, pty.path());
        transport->open(collector.receiver(), collector.error_handler(), 1s);
    }
    ~OpenPty() {
        io.run([&] { transport->close(); });
    }
};

}  // namespace

TEST_CASE("serial transport carries bytes both ways over a pty, untouched", "[serial]") {
    IoThread io;
    PseudoTerminal pty;
    Collector collector;
    auto transport = serial_for(io, pty.path(), "?baud=921600");
    CHECK(transport->description() == "serial " + pty.path() + " at 921600 baud");
    transport->open(collector.receiver(), collector.error_handler(), 1s);

    // Bytes a cooked tty would eat or rewrite: NUL, CR, LF, ^C, XON, XOFF, DEL, 0xFF.
    const std::vector<std::uint8_t> inbound{0x00, 0x0d, 0x0a, 0x03, 0x11,
                                            0x13, 0x7f, 0xff, 0x04, 0x1a};
    pty.write(inbound);
    CHECK(collector.wait_for_bytes(inbound.size()) == inbound);

    const std::vector<std::uint8_t> outbound{0x0a, 0x00, 0x0d, 0x11, 0x13, 0x03, 0xff, 0x7e};
    io.run([&] { transport->send(outbound); });
    CHECK(pty.read(outbound.size()) == outbound);

    io.run([&] { transport->close(); });
    CHECK(collector.errors().empty());
}

TEST_CASE("over a pty a caller holding the pen's guard takes what has arrived, on its own thread",
          "[serial]") {
    OpenPty link;
    auto& [io, pty, collector, transport] = link;
    CHECK_FALSE(transport->input_waiting());
    {
        LinkGuard::Hold hold(*io.guard);
        pty.write({1, 2, 3, 4, 5});
        // Asked without the guard and without waiting, as a caller watching for its reply does.
        CHECK(keep_trying([&] { return transport->input_waiting(); }));
        // The I/O thread is woken too, but cannot read while the guard is held here.
        CHECK(transport->receive_now());
        CHECK(collector.bytes_elsewhere() == 5);
        CHECK_FALSE(transport->input_waiting());
        CHECK_FALSE(transport->receive_now());  // nothing more, and it does not wait
    }
    // Let go: the I/O thread found nothing left, and reads what comes next.
    pty.write({6, 7});
    CHECK(collector.wait_for_bytes(7) == std::vector<std::uint8_t>{1, 2, 3, 4, 5, 6, 7});
    CHECK(collector.bytes_elsewhere() == 5);
    CHECK(collector.errors().empty());
}

TEST_CASE("one receive_now takes all a tty holds, more than its 4 KB line buffer", "[serial]") {
    OpenPty link;
    auto& [io, pty, collector, transport] = link;
    std::vector<std::uint8_t> sent(10000);
    for (std::size_t i = 0; i < sent.size(); ++i) sent[i] = static_cast<std::uint8_t>(i % 253);
    {
        LinkGuard::Hold hold(*io.guard);
        pty.write(sent);  // a pty holds more than 13 KB, so the write is whole before this read
        CHECK(keep_trying([&] { return transport->input_waiting(); }));
        // A tty hands over 4095 bytes per read at most: the call reads on until a read is
        // short (it used to stop after each 4095-byte read, and a caller had to call again).
        // On an idle machine that one call takes all 10,000 bytes; on a busy one the tty's
        // input work may have moved only part of the rest in when a read comes, and that read
        // is short. So: once the line buffer is full (a second descriptor of the tty sees 4095
        // bytes waiting), one call takes more than that full read, and calling again takes the
        // rest, all on this thread (the I/O thread cannot read while the guard is held).
        const int probe = ::open(pty.path().c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY);
        REQUIRE(probe >= 0);
        CHECK(keep_trying([&] {
            int waiting = 0;
            return ::ioctl(probe, FIONREAD, &waiting) == 0 &&
                   static_cast<std::size_t>(waiting) >= penlink::transport::kTtyReadMax;
        }));
        ::close(probe);
        CHECK(transport->receive_now());
        CHECK(collector.bytes_elsewhere() > penlink::transport::kTtyReadMax);
        CHECK(keep_trying([&] {
            transport->receive_now();
            return collector.bytes_elsewhere() == sent.size();
        }));
        CHECK_FALSE(transport->receive_now());
    }
    CHECK(collector.wait_for_bytes(sent.size()) == sent);
    CHECK(collector.errors().empty());
}

TEST_CASE("bytes taken by a caller's thread and by the I/O thread arrive once each, in order",
          "[serial]") {
    OpenPty link;
    auto& [io, pty, collector, transport] = link;
    std::vector<std::uint8_t> sent(64 * 1024);
    for (std::size_t i = 0; i < sent.size(); ++i) sent[i] = static_cast<std::uint8_t>(i % 251);
    std::thread writer([&] {
        // Chunks of 1 to 300 bytes, as a pen's frames would come.
        for (std::size_t at = 0, size = 1; at < sent.size(); at += size, size = size % 300 + 37)
            pty.write(
                {sent.begin() + static_cast<std::ptrdiff_t>(at),
                 sent.begin() + static_cast<std::ptrdiff_t>(std::min(at + size, sent.size()))});
    });
    std::atomic<bool> done{false};
    std::thread caller([&] {
        // Takes the guard and reads for a while, then leaves the link to the I/O thread.
        while (!done) {
            {
                LinkGuard::Hold hold(*io.guard);
                for (int i = 0; i < 20; ++i) transport->receive_now();
            }
            std::this_thread::sleep_for(100us);
        }
    });
    const auto received = collector.wait_for_bytes(sent.size());
    done = true;
    caller.join();
    writer.join();
    CHECK(received == sent);
    INFO("bytes the caller's thread took: " << collector.bytes_elsewhere());
    CHECK(collector.errors().empty());
}

TEST_CASE("input for a muted reader waits for its caller, and reaches the I/O thread once unmuted",
          "[serial]") {
    OpenPty link;
    auto& [io, pty, collector, transport] = link;
    // The I/O thread is waiting for input (its wait, started after open(), re-arms the tty in
    // the I/O loop and so would end a mute that came before it).
    io.run([] {});
    // Two callers watching for their replies at once: muting nests.
    transport->mute_reader(true);
    transport->mute_reader(true);
    pty.write({1, 2, 3});
    // A caller watching sees the bytes; the I/O thread is not woken for them.
    CHECK(keep_trying([&] { return transport->input_waiting(); }));
    std::this_thread::sleep_for(50ms);
    CHECK(collector.bytes().empty());
    transport->mute_reader(false);  // one caller left: still muted
    std::this_thread::sleep_for(50ms);
    CHECK(collector.bytes().empty());
    // The last caller went to sleep without taking them: unmuting wakes the I/O thread.
    transport->mute_reader(false);
    CHECK(collector.wait_for_bytes(3) == std::vector<std::uint8_t>{1, 2, 3});
    CHECK(collector.bytes_elsewhere() == 0);
    // And it reads what comes next as before; an extra unmute changes nothing.
    transport->mute_reader(false);
    pty.write({4});
    CHECK(collector.wait_for_bytes(4) == std::vector<std::uint8_t>{1, 2, 3, 4});
    CHECK(collector.errors().empty());
}

TEST_CASE("a muted reader still hears the pty master vanish, once", "[serial]") {
    OpenPty link;
    auto& [io, pty, collector, transport] = link;
    io.run([] {});
    transport->mute_reader(true);
    pty.close_master();
    const auto errors = collector.wait_for_error();
    REQUIRE(errors.size() == 1);
    CHECK_THAT(errors[0], Catch::Contains("serial port " + pty.path()));
    transport->mute_reader(false);  // after the link failed: nothing to undo, no harm
    io.run([] {});
    CHECK(collector.errors().size() == 1);
}

TEST_CASE("once a write has had to be queued, muting no longer holds input back", "[serial]") {
    OpenPty link;
    auto& [io, pty, collector, transport] = link;
    // Longer than one write on the caller's thread: the rest goes by a queued write, which may
    // change the tty's registration in the I/O loop (room to write), so muting stops for good.
    std::vector<std::uint8_t> long_burst(1000);
    for (std::size_t i = 0; i < long_burst.size(); ++i)
        long_burst[i] = static_cast<std::uint8_t>(i % 200 + 1);
    io.run([&] { transport->send(long_burst); });
    CHECK(pty.read(long_burst.size()) == long_burst);
    transport->mute_reader(true);
    pty.write({7, 8});
    CHECK(collector.wait_for_bytes(2) == std::vector<std::uint8_t>{7, 8});
    CHECK(collector.bytes_elsewhere() == 0);
    transport->mute_reader(false);
    CHECK(collector.errors().empty());
}

TEST_CASE("serial transport rejects unsupported baud rates and options up front", "[serial]") {
    IoThread io;
    try {
        serial_for(io, "/dev/ttyUSB0", "?baud=12345");
        FAIL("baud 12345 accepted");
    } catch (const penlink::InvalidArgumentError& error) {
        CHECK_THAT(error.what(), Catch::Contains("baud rate 12345 is not supported") &&
                                     Catch::Contains("/dev/ttyUSB0") && Catch::Contains("9600") &&
                                     Catch::Contains("115200") && Catch::Contains("921600"));
    }
    CHECK_THROWS_WITH(serial_for(io, "/dev/ttyUSB0", "?baud=fast"),
                      Catch::Contains("'fast' for serial port"));
    CHECK_THROWS_WITH(serial_for(io, "/dev/ttyUSB0", "?speed=9600"),
                      Catch::Contains("unknown option 'speed'") && Catch::Contains("'baud'"));
    CHECK(serial_for(io, "/dev/ttyUSB0")->description() == "serial /dev/ttyUSB0 at 115200 baud");
}

TEST_CASE("opening a missing serial port fails with ConnectionFailed naming it", "[serial]") {
    IoThread io;
    Collector collector;
    auto transport = serial_for(io, "/dev/ttyUSB-penlink-missing");
    try {
        transport->open(collector.receiver(), collector.error_handler(), 1s);
        FAIL("opened a port that does not exist");
    } catch (const penlink::ConnectionError& error) {
        CHECK(error.code() == penlink::ErrorCode::ConnectionFailed);
        CHECK(std::string(error.what()) ==
              "serial port /dev/ttyUSB-penlink-missing does not exist");
    }
}

TEST_CASE("a file that is not a tty is refused as not a serial port", "[serial]") {
    IoThread io;
    Collector collector;
    auto transport = serial_for(io, "/dev/null");
    CHECK_THROWS_WITH(transport->open(collector.receiver(), collector.error_handler(), 1s),
                      "/dev/null is not a serial port");
}

TEST_CASE("a second open of the same serial port fails as busy", "[serial]") {
    IoThread io;
    PseudoTerminal pty;
    Collector first_collector;
    Collector second_collector;
    auto first = serial_for(io, pty.path());
    auto second = serial_for(io, pty.path());
    first->open(first_collector.receiver(), first_collector.error_handler(), 1s);
    try {
        second->open(second_collector.receiver(), second_collector.error_handler(), 1s);
        FAIL("second open succeeded");
    } catch (const penlink::ConnectionError& error) {
        CHECK(error.code() == penlink::ErrorCode::ConnectionFailed);
        CHECK(std::string(error.what()) ==
              "serial port " + pty.path() + " is busy (opened by another program)");
    }
    // Once the first lets go, the port can be had again.
    io.run([&] { first->close(); });
    second->open(second_collector.receiver(), second_collector.error_handler(), 1s);
    pty.write({0x42});
    CHECK(second_collector.wait_for_bytes(1) == std::vector<std::uint8_t>{0x42});
    io.run([&] { second->close(); });
}

TEST_CASE("the pty master vanishing is reported once through the ErrorHandler", "[serial]") {
    IoThread io;
    PseudoTerminal pty;
    Collector collector;
    auto transport = serial_for(io, pty.path());
    transport->open(collector.receiver(), collector.error_handler(), 1s);
    pty.write({1, 2, 3});
    CHECK(collector.wait_for_bytes(3).size() == 3);

    pty.close_master();
    auto errors = collector.wait_for_error();
    REQUIRE(errors.size() == 1);
    CHECK_THAT(errors[0], Catch::Contains("serial port " + pty.path()));

    // Sending on the dead link and a later close report nothing more.
    io.run([&] { transport->send(std::vector<std::uint8_t>{1, 2, 3}); });
    io.run([&] { transport->close(); });
    io.run([] {});
    CHECK(collector.errors().size() == 1);
}

TEST_CASE("close stops the handlers and a closed transport can be reopened", "[serial]") {
    IoThread io;
    PseudoTerminal pty;
    Collector collector;
    auto transport = serial_for(io, pty.path());
    transport->open(collector.receiver(), collector.error_handler(), 1s);
    io.run([&] { transport->close(); });
    io.run([&] { transport->close(); });  // idempotent

    Collector again;
    transport->open(again.receiver(), again.error_handler(), 1s);
    pty.write({7, 8});
    CHECK(again.wait_for_bytes(2) == std::vector<std::uint8_t>{7, 8});
    io.run([&] { transport->close(); });
    CHECK(collector.wait_for_bytes(0).empty());
    CHECK(collector.errors().empty());
    CHECK(again.errors().empty());
}

TEST_CASE("serial port enumeration returns without throwing", "[serial]") {
    std::vector<penlink::SerialPortInfo> ports;
    REQUIRE_NOTHROW(ports = enumerate_serial_ports());
    for (const auto& port : ports) {
        CHECK_FALSE(port.path.empty());
        if (!port.is_usb) CHECK(port.usb_vid == 0);
    }
}
