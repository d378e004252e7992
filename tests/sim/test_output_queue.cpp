// penlink-sim's OutputQueue on a stream whose writes the test completes by hand: replies
// overtake queued Status, Status that does not fit is dropped, chunks are never torn.
#include <catch2/catch.hpp>

#include <functional>
#include <vector>

#include <boost/system/error_code.hpp>

#include "output_queue.hpp"

using penlink::simtool::OutputQueue;

namespace {

/// A stream with at most one write outstanding; the test decides how much each write takes.
struct ManualStream {
    template <typename Buffer, typename Handler>
    void async_write_some(const Buffer& buffer, Handler&& handler) {
        REQUIRE_FALSE(pending);
        pending_bytes.assign(static_cast<const std::uint8_t*>(buffer.data()),
                             static_cast<const std::uint8_t*>(buffer.data()) + buffer.size());
        pending = std::forward<Handler>(handler);
    }
    /// Completes the outstanding write, taking at most `limit` bytes.
    void complete(std::size_t limit = SIZE_MAX) {
        REQUIRE(pending);
        const std::size_t taken = std::min(limit, pending_bytes.size());
        written.insert(written.end(), pending_bytes.begin(), pending_bytes.begin() + taken);
        auto handler = std::move(pending);
        pending = nullptr;
        handler(boost::system::error_code{}, taken);
    }
    void drain() {
        while (pending) complete();
    }

    std::function<void(const boost::system::error_code&, std::size_t)> pending;
    std::vector<std::uint8_t> pending_bytes;
    std::vector<std::uint8_t> written;
};

std::vector<std::uint8_t> chunk(std::uint8_t value, std::size_t size) {
    return std::vector<std::uint8_t>(size, value);
}

}  // namespace

TEST_CASE("a reply overtakes every Status chunk still queued", "[sim][output_queue]") {
    ManualStream stream;
    OutputQueue<ManualStream> queue(stream);
    for (int i = 0; i < 10; ++i) queue.push_status(chunk(0x5A, 600));
    queue.push(chunk(0xAC, 9));  // the reply arrives while Status waits
    stream.complete(100);        // the Status chunk in progress is finished first...
    stream.complete();
    stream.complete();  // ...then the reply, before the other nine
    REQUIRE(stream.written.size() == 600 + 9);
    CHECK(stream.written[600] == 0xAC);
    CHECK(stream.written.back() == 0xAC);
    stream.drain();
    CHECK(stream.written.size() == 10 * 600 + 9);
}

TEST_CASE("Status that does not fit its lane is dropped, replies still go", "[sim][output_queue]") {
    ManualStream stream;
    OutputQueue<ManualStream> queue(stream);
    const std::size_t fits = OutputQueue<ManualStream>::kStatusCapacity / 1000;
    for (std::size_t i = 0; i < fits + 5; ++i) queue.push_status(chunk(0x11, 1000));
    CHECK(queue.dropped_status_bytes() == 5 * 1000);
    queue.push(chunk(0x22, 20));
    CHECK(queue.dropped_bytes() == 5 * 1000);
    stream.drain();
    CHECK(stream.written.size() == fits * 1000 + 20);
}

TEST_CASE("chunks are written whole, in order within each lane", "[sim][output_queue]") {
    ManualStream stream;
    OutputQueue<ManualStream> queue(stream);
    queue.push(chunk(1, 300));
    queue.push_status(chunk(2, 300));
    queue.push(chunk(3, 300));
    while (stream.pending) stream.complete(7);  // dribbled out a few bytes at a time
    REQUIRE(stream.written.size() == 900);
    CHECK(stream.written[0] == 1);
    CHECK(stream.written[299] == 1);
    CHECK(stream.written[300] == 3);  // the second reply overtook the Status
    CHECK(stream.written[599] == 3);
    CHECK(stream.written[600] == 2);
}

TEST_CASE("reset forgets what was queued", "[sim][output_queue]") {
    ManualStream stream;
    OutputQueue<ManualStream> queue(stream);
    queue.push(chunk(1, 100));
    queue.push(chunk(2, 100));
    queue.reset();
    stream.pending = nullptr;  // the write in flight completes into the void
    CHECK(queue.queued_bytes() == 0);
    queue.push(chunk(3, 10));
    stream.drain();
    // A lone delimiter first: it ends a frame the reset may have torn.
    std::vector<std::uint8_t> expected{0};
    const auto after = chunk(3, 10);
    expected.insert(expected.end(), after.begin(), after.end());
    CHECK(stream.written == expected);
}
