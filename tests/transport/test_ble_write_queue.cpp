// The BLE write queue: chunks of at most one ATT payload, a bound, and an emergency stop that
// overtakes queued frames without cutting one.
#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include "transport/ble/ble_write_queue.hpp"

using penlink::transport::BleWriteQueue;
using Bytes = std::vector<std::uint8_t>;

TEST_CASE("ble write queue hands out chunks of at most the payload size", "[ble]") {
    BleWriteQueue queue(1000);
    Bytes frame(50, 0x11);
    frame.back() = 0x00;
    REQUIRE(queue.push(frame));
    CHECK(queue.take_chunk(20).size() == 20);
    CHECK(queue.take_chunk(20).size() == 20);
    auto last = queue.take_chunk(20);
    CHECK(last.size() == 10);
    CHECK(last.back() == 0x00);
    CHECK(queue.empty());
    CHECK(queue.take_chunk(20).empty());
}

TEST_CASE("ble write queue refuses what would pass its capacity", "[ble]") {
    BleWriteQueue queue(64);
    CHECK(queue.push(Bytes(60, 1)));
    CHECK_FALSE(queue.push(Bytes(5, 1)));
    CHECK(queue.queued_bytes() == 60);
    CHECK(queue.push(Bytes(4, 1)));
}

TEST_CASE("ble urgent frame goes ahead of queued frames at a frame boundary", "[ble]") {
    BleWriteQueue queue(1000);
    const Bytes first{1, 2, 3, 4, 5, 0};
    const Bytes second{6, 7, 8, 0};
    const Bytes stop{9, 9, 0};
    queue.push(first);
    queue.push(second);

    SECTION("nothing handed out yet: the stop goes first") {
        queue.push_urgent(stop);
        CHECK(queue.take_chunk(100) == Bytes{9, 9, 0, 1, 2, 3, 4, 5, 0, 6, 7, 8, 0});
    }
    SECTION("a chunk cut the first frame: its tail goes first, then the stop") {
        CHECK(queue.take_chunk(2) == Bytes{1, 2});
        queue.push_urgent(stop);
        CHECK(queue.take_chunk(100) == Bytes{3, 4, 5, 0, 9, 9, 0, 6, 7, 8, 0});
    }
    SECTION("a chunk ended on a boundary: the stop goes next") {
        CHECK(queue.take_chunk(6) == first);
        queue.push_urgent(stop);
        CHECK(queue.take_chunk(100) == Bytes{9, 9, 0, 6, 7, 8, 0});
    }
    SECTION("an urgent frame is taken even when the queue is full") {
        BleWriteQueue full(6);
        REQUIRE(full.push(first));
        full.push_urgent(stop);
        CHECK(full.queued_bytes() == 9);
    }
}
