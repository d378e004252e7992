// penlink-sim's OutputQueue on a stream whose writes the test completes by hand: replies
// overtake queued Status, Status that does not fit is dropped, chunks are never torn.
#include <catch2/catch.hpp>

#include <functional>
#include <vector>

#include <boost/asio/error.hpp>
#include <boost/system/error_code.hpp>

#include "output_queue.hpp"

using penlink::simtool::OutputQueue;

namespace {

/// A stream with at most one write outstanding; the test decides how much each write takes.
/// Set non-blocking (as the sim's pty master is), it also takes up to `room` bytes at once.
struct ManualStream {
    bool non_blocking() const { return immediate; }
    template <typename Buffer>
    std::size_t write_some(const Buffer& buffer, boost::system::error_code& error) {
        REQUIRE(immediate);
        REQUIRE_FALSE(pending);
        const std::size_t taken = std::min(room, buffer.size());
        if (taken == 0) {
            error = boost::asio::error::would_block;
            return 0;
        }
        const auto* bytes = static_cast<const std::uint8_t*>(buffer.data());
        written.insert(written.end(), bytes, bytes + taken);
        room -= taken;
        ++immediate_writes;
        error = {};
        return taken;
    }

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

    bool immediate = false;
    std::size_t room = SIZE_MAX;
    /// Gives room: the wait for it (RoomWaiter) completes.
    void give_room(std::size_t bytes = SIZE_MAX) {
        REQUIRE(room_wait);
        room = bytes;
        auto handler = std::move(room_wait);
        room_wait = nullptr;
        handler(boost::system::error_code{});
    }

    int immediate_writes = 0;
    std::function<void(const boost::system::error_code&)> room_wait;  // RoomWaiter's
    std::function<void(const boost::system::error_code&, std::size_t)> pending;
    std::vector<std::uint8_t> pending_bytes;
    std::vector<std::uint8_t> written;
};

std::vector<std::uint8_t> chunk(std::uint8_t value, std::size_t size) {
    return std::vector<std::uint8_t>(size, value);
}

}  // namespace

namespace penlink::simtool {
template <>
class RoomWaiter<ManualStream> {
public:
    template <typename Handler>
    void wait(ManualStream& stream, Handler handler) {
        REQUIRE_FALSE(stream.room_wait);
        stream.room_wait = std::move(handler);
        stream_ = &stream;
    }
    void cancel() {
        if (stream_) stream_->room_wait = nullptr;
    }

private:
    ManualStream* stream_ = nullptr;
};
}  // namespace penlink::simtool

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

TEST_CASE(
    "on a non-blocking stream a chunk is written before push returns; the rest waits for room",
    "[sim][output_queue]") {
    ManualStream stream;
    stream.immediate = true;
    stream.room = 100;
    OutputQueue<ManualStream> queue(stream);

    queue.push(chunk(0x01, 60));  // a reply: written at once, nothing outstanding
    CHECK(stream.written == chunk(0x01, 60));
    CHECK_FALSE(stream.pending);
    CHECK(queue.queued_bytes() == 0);

    // A Status chunk only 40 bytes of which fit: the rest waits for room, without a write
    // queued on the stream (RoomWaiter).
    queue.push_status(chunk(0x02, 80));
    REQUIRE(stream.room_wait);
    CHECK_FALSE(stream.pending);
    CHECK(queue.queued_bytes() == 40);

    // A reply now waits behind the half-written Status chunk (chunks are never torn)...
    queue.push(chunk(0x03, 30));
    CHECK(queue.queued_bytes() == 70);
    // ...and, once room comes, follows it: the rest of the chunk is written, then the reply.
    stream.give_room();
    CHECK_FALSE(stream.room_wait);
    CHECK_FALSE(stream.pending);
    CHECK(queue.queued_bytes() == 0);
    std::vector<std::uint8_t> expected = chunk(0x01, 60);
    for (auto byte : chunk(0x02, 80)) expected.push_back(byte);
    for (auto byte : chunk(0x03, 30)) expected.push_back(byte);
    CHECK(stream.written == expected);
    CHECK(stream.immediate_writes == 4);
}

TEST_CASE("reset ends a wait for room; what comes after it is written at once",
          "[sim][output_queue]") {
    ManualStream stream;
    stream.immediate = true;
    stream.room = 10;
    OutputQueue<ManualStream> queue(stream);
    queue.push_status(chunk(0x02, 80));
    REQUIRE(stream.room_wait);
    queue.reset();
    CHECK_FALSE(stream.room_wait);
    stream.room = SIZE_MAX;
    queue.push(chunk(0x03, 5));
    std::vector<std::uint8_t> expected = chunk(0x02, 10);
    expected.push_back(0);  // the delimiter that ends the torn frame
    for (auto byte : chunk(0x03, 5)) expected.push_back(byte);
    CHECK(stream.written == expected);
}
