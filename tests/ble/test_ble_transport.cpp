// The BLE transport on its own, against the fake BlueZ: the MTU it reads decides the write
// size (the fake refuses anything longer), writes are paced, and a producer that outruns the
// link gets a clear error instead of a growing backlog.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "fake_bluez_harness.hpp"
#include "transport/ble/ble_transport.hpp"
#include "transport/url.hpp"
#include "wait.hpp"

namespace penlink::test {
namespace {

using namespace std::chrono_literals;
using transport::BleTransport;

// An io thread for one transport, as the session runs it.
struct IoThread {
    boost::asio::io_context io;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{
        io.get_executor()};
    std::thread thread{[this] { io.run(); }};
    /// The transport's executor: handlers on io under a guard, as a pen's.
    transport::LinkExecutor ex{io, std::make_shared<transport::LinkGuard>()};
    ~IoThread() {
        work.reset();
        io.stop();
        thread.join();
    }
    template <typename Fn>
    void run(Fn fn) {
        std::atomic<bool> done{false};
        boost::asio::post(ex, [&] {
            fn();
            done = true;
        });
        REQUIRE(wait_until([&] { return done.load(); }));
    }
};

struct Received {
    std::mutex mutex;
    std::vector<std::uint8_t> bytes;
    std::string error;
    std::atomic<bool> failed{false};
};

void open(BleTransport& link, Received& received, std::chrono::milliseconds timeout = 5000ms) {
    link.open(
        [&received](std::span<const std::uint8_t> bytes) {
            std::lock_guard lock(received.mutex);
            received.bytes.insert(received.bytes.end(), bytes.begin(), bytes.end());
        },
        [&received](const std::string& reason) {
            std::lock_guard lock(received.mutex);
            received.error = reason;
            received.failed = true;
        },
        timeout);
}

}  // namespace

TEST_CASE("ble transport writes at most MTU - 3 bytes per write", "[ble]") {
    const bool small = GENERATE(true, false);
    FakeBluez fake({"--known", "--mtu", small ? "23" : "247"});
    IoThread io;
    BleTransport link(io.ex, transport::parse_url(FakeBluez::url()));
    Received received;
    open(link, received);
    const std::size_t payload = small ? 20 : 244;
    CHECK(link.link_payload_size() == payload);
    CHECK(link.link_bytes_per_second() == payload * 1000 / 15);
    CHECK_THAT(link.description(), Catch::Contains("C0:FF:EE:00:00:01") && Catch::Contains("hci0"));

    // 600 bytes of one (nonsense) frame: the pen discards it, but every write must fit.
    std::vector<std::uint8_t> frame(600, 0x42);
    frame.back() = 0x00;
    io.run([&] { link.send(frame); });
    const std::uint64_t expected_writes = (frame.size() + payload - 1) / payload;
    REQUIRE(wait_until([&] { return fake.stats()["bytes_to_pen"] == frame.size(); }));
    auto stats = fake.stats();
    CHECK(stats["writes"] == expected_writes);
    CHECK(stats["rejected_writes"] == 0);
    CHECK_FALSE(received.failed.load());
    io.run([&] { link.close(); });
}

TEST_CASE("ble transport re-reads the MTU when it opens again", "[ble]") {
    FakeBluez fake({"--known", "--mtu", "100"});
    IoThread io;
    BleTransport link(io.ex, transport::parse_url(FakeBluez::url()));
    Received received;
    open(link, received);
    CHECK(link.link_payload_size() == 97);
    fake.control("SetMtu", {"uint16:50"});
    fake.control("DropConnection");
    REQUIRE(wait_until([&] { return received.failed.load(); }));
    CHECK_THAT(received.error, Catch::Contains("was lost") && Catch::Contains("disconnected"));
    io.run([&] { link.close(); });
    Received again;
    open(link, again);
    CHECK(link.link_payload_size() == 47);
    io.run([&] { link.close(); });
}

TEST_CASE("ble transport fails clearly when the app outruns the link", "[ble]") {
    // 20-byte writes, one per 50 ms event: 400 bytes/s, while the app queues 64 KiB at once.
    FakeBluez fake({"--known", "--mtu", "23", "--interval-ms", "50", "--packets-per-event", "1"});
    IoThread io;
    BleTransport link(io.ex, transport::parse_url(FakeBluez::url("?interval_ms=50")));
    Received received;
    open(link, received);
    CHECK(link.link_bytes_per_second() == 400);
    std::vector<std::uint8_t> frame(64, 0x42);
    frame.back() = 0x00;
    io.run([&] {
        for (int i = 0; i < 1024 && !received.failed.load(); ++i) link.send(frame);
    });
    REQUIRE(received.failed.load());
    CHECK_THAT(received.error, Catch::Contains("send queue") && Catch::Contains("is full") &&
                                   Catch::Contains("4096 bytes"));
    io.run([&] { link.close(); });
}

TEST_CASE("ble transport goes no faster than the link's bytes per second", "[ble]") {
    // 2000 bytes/s on the radio: 1000 bytes need about half a second whatever the MTU allows.
    FakeBluez fake({"--known", "--bytes-per-second", "2000"});
    IoThread io;
    BleTransport link(io.ex, transport::parse_url(FakeBluez::url()));
    Received received;
    open(link, received);
    std::vector<std::uint8_t> frame(1000, 0x42);
    frame.back() = 0x00;
    const auto started = std::chrono::steady_clock::now();
    io.run([&] { link.send(frame); });
    REQUIRE(wait_until([&] { return fake.stats()["bytes_to_pen"] == frame.size(); }));
    const auto took = std::chrono::steady_clock::now() - started;
    CHECK(took > 350ms);
    CHECK(took < 3000ms);
    CHECK(fake.stats()["rejected_writes"] == 0);
    CHECK_FALSE(received.failed.load());
    io.run([&] { link.close(); });
}

TEST_CASE("ble transport rejects options it does not know", "[ble]") {
    boost::asio::io_context context;
    const transport::LinkExecutor io{context, std::make_shared<transport::LinkGuard>()};
    CHECK_THROWS_WITH(BleTransport(io, transport::parse_url(FakeBluez::url("?baud=9600"))),
                      Catch::Contains("unknown option 'baud'"));
    CHECK_THROWS_WITH(BleTransport(io, transport::parse_url(FakeBluez::url("?adapter=usb0"))),
                      Catch::Contains("adapter 'usb0'"));
    CHECK_THROWS_WITH(BleTransport(io, transport::parse_url(FakeBluez::url("?interval_ms=2"))),
                      Catch::Contains("interval_ms '2'"));
}

}  // namespace penlink::test
