// Status streaming must not allocate per frame. Counts global operator new calls while a
// device streams at 20 kHz into a sink that itself never allocates.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <new>

#include <boost/asio/io_context.hpp>

#include "protocol/frame.hpp"
#include "sim/sim_device.hpp"

namespace {
std::atomic<std::size_t> g_allocations{0};
}  // namespace

// Replacing the global allocation functions is the standard way to observe heap use; the
// count covers every thread of this test binary.
void* operator new(std::size_t size) {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* memory = std::malloc(size == 0 ? 1 : size)) return memory;
    throw std::bad_alloc();
}
void operator delete(void* memory) noexcept { std::free(memory); }
void operator delete(void* memory, std::size_t) noexcept { std::free(memory); }

using namespace std::chrono_literals;
using namespace penlink;

TEST_CASE("status streaming does not allocate per frame", "[sim][device][alloc]") {
    boost::asio::io_context io;
    protocol::FrameDecoder decoder;
    std::size_t statuses = 0;
    sim::SimDevice device(io, sim::default_sim_config(), [&](std::span<const std::uint8_t> bytes) {
        decoder.feed(
            bytes,
            [&](const protocol::DecodedFrame& frame) {
                if (frame.header.type == protocol::MessageType::Status) ++statuses;
            },
            [](protocol::FrameError) {});
    });
    device.start();
    const auto subscribe = protocol::encode_frame(1, protocol::SubscribeStatus{20000});
    REQUIRE(subscribe);
    device.receive(subscribe->view());
    io.run_for(50ms);  // warm-up: asio's handler memory gets recycled after the first waits

    const std::size_t frames_before = statuses;
    const std::size_t allocations_before = g_allocations.load();
    io.restart();
    io.run_for(200ms);
    const std::size_t allocations = g_allocations.load() - allocations_before;
    const std::size_t frames = statuses - frames_before;

    REQUIRE(frames > 500);
    CHECK(allocations < frames / 100);
}
