// Status streaming must not allocate per frame. Counts global operator new calls while a
// device streams at 20 kHz into a sink that itself never allocates.
#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>

#include "alloc_counter.hpp"
#include "module_fixtures.hpp"
#include "protocol/frame.hpp"
#include "sim/sim_device.hpp"

using namespace std::chrono_literals;
using namespace penlink;

namespace {

/// Streams Status at 20 kHz for 200 ms (after a warm-up) and checks that the frames cost no
/// heap allocation; returns the last Status seen.
protocol::Status check_streaming_allocations(const sim::SimConfig& config) {
    protocol::Status last;
    boost::asio::io_context io;
    protocol::FrameDecoder decoder;
    std::size_t statuses = 0;
    sim::SimDevice device(io, config, [&](std::span<const std::uint8_t> bytes) {
        decoder.feed(
            bytes,
            [&](const protocol::DecodedFrame& frame) {
                if (const auto* status = std::get_if<protocol::Status>(&frame.message)) {
                    ++statuses;
                    last = *status;
                }
            },
            [](protocol::FrameError) {});
    });
    device.start();
    const auto hello = protocol::encode_frame(1, protocol::Hello{});
    const auto subscribe = protocol::encode_frame(2, protocol::SubscribeStatus{20000});
    REQUIRE(hello);
    REQUIRE(subscribe);
    device.receive(hello->view());
    device.receive(subscribe->view());
    io.run_for(50ms);  // warm-up: asio's handler memory gets recycled after the first waits

    const std::size_t frames_before = statuses;
    const std::size_t allocations_before = sim::test::allocation_count();
    io.restart();
    io.run_for(200ms);
    const std::size_t allocations = sim::test::allocation_count() - allocations_before;
    const std::size_t frames = statuses - frames_before;
    REQUIRE(frames > 500);
    CHECK(allocations < frames / 100);
    return last;
}

}  // namespace

TEST_CASE("status streaming with module telemetry does not allocate per frame",
          "[sim][device][alloc][modules]") {
    if (!sim::test::allocation_counting()) {
        WARN("allocation counting is unavailable in this build (sanitizer); skipped");
        return;
    }
    sim::SimConfig config = sim::default_sim_config();
    config.modules.push_back(sim::test::suction_module());
    config.modules.push_back(sim::test::suction_module());
    config.modules.push_back(sim::test::suction_module());
    const protocol::Status last = check_streaming_allocations(config);
    CHECK(last.telemetry_count == 9);
}

TEST_CASE("status streaming does not allocate per frame", "[sim][device][alloc]") {
    if (!sim::test::allocation_counting()) {
        WARN("allocation counting is unavailable in this build (sanitizer); skipped");
        return;
    }
    check_streaming_allocations(sim::default_sim_config());
}
