// Steady-state traffic must not touch the heap: a session at a 20 kHz status rate would otherwise
// allocate 20,000 times a second. operator new and aligned_alloc are replaced here to count
// allocations made while counting is on (by one chosen thread, or by all).
#include <catch2/catch.hpp>

#include <unistd.h>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <new>
#include <string>

#include "io_helpers.hpp"
#include "loopback_server.hpp"
#include "protocol/frame.hpp"

namespace {
thread_local bool counting = false;     // this thread's allocations count
std::atomic<bool> counting_all{false};  // every thread's allocations count
std::atomic<long> allocations{0};
}  // namespace

void* operator new(std::size_t size) {
    if (counting || counting_all.load(std::memory_order_relaxed))
        allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
    throw std::bad_alloc();
}
// Asio allocates handler memory with aligned_alloc, not operator new; this definition takes
// the place of libc's within this executable. free() releases posix_memalign memory.
extern "C" void* aligned_alloc(std::size_t alignment, std::size_t size) noexcept {
    if (counting || counting_all.load(std::memory_order_relaxed))
        allocations.fetch_add(1, std::memory_order_relaxed);
    void* p = nullptr;
    if (alignment < sizeof(void*)) alignment = sizeof(void*);
    return ::posix_memalign(&p, alignment, size == 0 ? 1 : size) == 0 ? p : nullptr;
}

// Replaced to match the malloc above (sanitizers check the pairing). Out of line, so GCC does not
// mistake the new/delete pairs it inlines for a mismatch.
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
    if (counting || counting_all.load(std::memory_order_relaxed))
        allocations.fetch_add(1, std::memory_order_relaxed);
    return std::malloc(size == 0 ? 1 : size);
}
[[gnu::noinline]] void operator delete(void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, std::size_t) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }

using namespace penlink::transport;
using namespace penlink::protocol;
using penlink::transport::test::Connected;
using penlink::transport::test::IoThread;
using penlink::transport::test::kWaitLimit;

namespace {

// Asio's per-thread handler-memory cache has two slots, and the test's own cross-thread posts
// (IoThread::run) can leave a too-small block there, costing an allocation now and then. That is
// the harness, not the transport; what must hold is "not per send": far below one per message.
constexpr long kHarnessAllowance = 4;

// Starts counting on the calling thread (call it on the io thread).
void start_counting() {
    allocations = 0;
    counting = true;
}
long stop_counting() {
    counting = false;
    return allocations.load();
}

// Counts received bytes without allocating.
class ByteCounter {
public:
    Transport::ReceiveHandler receiver() {
        return [this](std::span<const std::uint8_t> bytes) {
            std::lock_guard lock(mutex_);
            total_ += bytes.size();
            changed_.notify_all();
        };
    }
    std::size_t wait_for(std::size_t total) {
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, kWaitLimit, [&] { return total_ >= total; });
        return total_;
    }
    std::size_t total() {
        std::lock_guard lock(mutex_);
        return total_;
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::size_t total_ = 0;
};

}  // namespace

TEST_CASE("bursts of small TCP sends do not allocate once warmed up", "[tcp][allocation]") {
    Connected link;
    const std::array<std::uint8_t, 5> chunk{1, 2, 3, 4, 5};
    constexpr int kSends = 1000;
    auto burst = [&] {
        for (int i = 0; i < kSends; ++i) link.transport->send(chunk);
    };
    // The first bursts grow the queue to its working size.
    for (int round = 0; round < 3; ++round) {
        link.io.run(burst);
        REQUIRE(link.server.read(chunk.size() * kSends).size() == chunk.size() * kSends);
    }
    link.io.run([&] {
        start_counting();
        burst();
    });
    REQUIRE(link.server.read(chunk.size() * kSends).size() == chunk.size() * kSends);
    CHECK(link.io.run([] { return stop_counting(); }) <= kHarnessAllowance);
}

namespace {

// Streams status from the in-process simulator at url and checks that 20,000 bytes of steady
// traffic cost no allocation on either thread.
void check_stream_does_not_allocate(const std::string& url) {
    IoThread io;
    ByteCounter counter;
    auto transport = make_transport(parse_url(url), io.ex);
    // Like a session, answer traffic with a heartbeat, so bytes flow host -> device as well.
    auto heartbeat = encode_frame(100, Heartbeat{});
    REQUIRE(heartbeat);
    std::atomic<bool> answer{false};
    auto count_bytes = counter.receiver();
    transport->open(
        [&](std::span<const std::uint8_t> bytes) {
            count_bytes(bytes);
            if (answer) transport->send(heartbeat->view());
        },
        [](const std::string&) {}, std::chrono::seconds(2));

    auto send = [&](std::uint16_t seq, const Message& message) {
        auto wire = encode_frame(seq, message);
        REQUIRE(wire);
        io.run([&] { transport->send(wire->view()); });
    };
    send(1, Hello{});
    send(2, SubscribeStatus{2000});
    answer = true;
    // Warm up: the buffers reach their working size within the first frames.
    REQUIRE(counter.wait_for(4000) >= 4000);

    // Both the host's io thread and the device thread count: a drain posted across threads is
    // allocated on one and freed on the other, which per-thread caches cannot recycle.
    std::size_t before = counter.total();
    allocations = 0;
    counting_all = true;
    std::size_t after = counter.wait_for(before + 20'000);
    counting_all = false;
    long count = allocations.load();
    REQUIRE(after >= before + 20'000);
    CHECK(count <= kHarnessAllowance);
    answer = false;
    io.run([&] { transport->close(); });
}

}  // namespace

TEST_CASE("the in-process status stream does not allocate on either thread",
          "[inproc][allocation]") {
    check_stream_does_not_allocate("sim://");
}

TEST_CASE("status with eight module telemetry values does not allocate either",
          "[inproc][allocation][modules]") {
    const auto path = std::filesystem::temp_directory_path() /
                      ("penlink-alloc-module-" + std::to_string(::getpid()) + ".json");
    std::string channels;
    for (int i = 0; i < 8; ++i) {
        channels += std::string(i ? "," : "") + R"({"key": "c)" + std::to_string(i) +
                    R"(", "id": )" + std::to_string(128 + i) +
                    R"(, "unit": "degC", "scale": 0.01, "min": -50, "max": 150})";
    }
    std::ofstream(path) << R"({"schema": "penlink.module/1", "key": "eight", "name": "Eight",
      "vendor": {"id": 1, "name": "test"}, "model": {"id": 1},
      "parameters": [{"key": "level", "id": 32769, "type": "integer", "min": 0, "max": 9,
                      "default": 4}],
      "telemetry": [)" + channels +
                               R"(]})";
    check_stream_does_not_allocate("sim://?module=" + path.string());
    std::filesystem::remove(path);
}
