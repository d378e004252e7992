// Bounded, non-blocking output for a byte stream (pty master or TCP socket), in two lanes.
//
// The simulated pen must never stall because nobody reads its port, and a reply must never wait
// behind Status frames: replies and events go into the reply lane, Status into a small status
// lane, and whenever one chunk has been written the next one comes from the reply lane if it
// holds any. A chunk that does not fit its lane is dropped and counted; a Status chunk that
// does not fit is simply lost (the pen numbered it, so the host sees a gap). SimDevice hands
// over whole frames per chunk, so neither a drop nor a change of lane ever tears a frame.
// Single-threaded (the io_context's thread).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>

#include <fcntl.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/system/error_code.hpp>

namespace penlink::simtool {

/// Waits for room to write on a stream set non-blocking, on a duplicate of its descriptor that
/// is registered with the io_context only while it waits. An asynchronous write on the stream
/// itself would add EPOLLOUT to the stream's own registration for good (Asio never takes it
/// away), and from then on every read by the host wakes the sim: a tty tells its writers after
/// each read that there is room, and the reader pays for waking them across processes.
template <typename Stream>
class RoomWaiter {
public:
    RoomWaiter() = default;
    RoomWaiter(const RoomWaiter&) = delete;
    RoomWaiter& operator=(const RoomWaiter&) = delete;
    ~RoomWaiter() { cancel(); }

    /// Calls handler(error) once stream has room (operation_aborted after cancel()).
    template <typename Handler>
    void wait(Stream& stream, Handler handler) {
        cancel();
        const int fd = ::fcntl(stream.native_handle(), F_DUPFD_CLOEXEC, 0);
        if (fd < 0) {  // out of descriptors: wait on the stream itself, as before
            stream.async_wait(Stream::wait_write, std::move(handler));
            return;
        }
        waiter_ =
            std::make_shared<boost::asio::posix::stream_descriptor>(stream.get_executor(), fd);
        waiter_->async_wait(boost::asio::posix::stream_descriptor::wait_write,
                            [waiter = waiter_, handler = std::move(handler)](
                                const boost::system::error_code& error) mutable {
                                boost::system::error_code ignored;
                                waiter->close(ignored);  // its registration goes with it
                                handler(error);
                            });
    }
    /// Ends a wait in progress, if any.
    void cancel() {
        if (!waiter_) return;
        boost::system::error_code ignored;
        waiter_->close(ignored);
        waiter_.reset();
    }

private:
    std::shared_ptr<boost::asio::posix::stream_descriptor> waiter_;
};

template <typename Stream>
class OutputQueue {
public:
    static constexpr std::size_t kReplyCapacity = 64 * 1024;
    // A few milliseconds of the fastest stream, counted in frames (256, the chunk limit) rather
    // than bytes, so a Status carrying 16 module telemetry values (165 bytes on the wire) is
    // buffered as long as a plain one (67): Status older than that is not worth sending.
    static constexpr std::size_t kStatusCapacity = 256 * 165;

    explicit OutputQueue(Stream& stream) : stream_(stream), alive_(std::make_shared<bool>(true)) {}
    ~OutputQueue() { *alive_ = false; }
    OutputQueue(const OutputQueue&) = delete;
    OutputQueue& operator=(const OutputQueue&) = delete;

    /// Replies and events: written before any Status queued with push_status().
    void push(std::span<const std::uint8_t> bytes) { enqueue(replies_, bytes); }
    /// Status frames: written when no reply waits; dropped when the lane is full.
    void push_status(std::span<const std::uint8_t> bytes) { enqueue(status_, bytes); }

    /// Forgets everything queued and any earlier write failure (a new host on the same port).
    /// A write already handed to the stream, or a wait for room, completes into the void. The
    /// stream may now hold a torn frame, so the next bytes start with a 0x00 delimiter that ends it
    /// for the reader.
    void reset() {
        replies_.clear();
        status_.clear();
        current_ = nullptr;
        failed_ = false;
        ++generation_;
        room_.cancel();
        writing_ = false;
        delimiter_due_ = true;
    }

    std::uint64_t dropped_bytes() const { return replies_.dropped + status_.dropped; }
    std::uint64_t dropped_status_bytes() const { return status_.dropped; }
    std::size_t queued_bytes() const { return replies_.count + status_.count; }

private:
    // A byte ring plus the sizes of the chunks in it, so writes stop at chunk boundaries.
    template <std::size_t Capacity, std::size_t MaxChunks>
    struct Lane {
        static constexpr std::size_t kCapacity = Capacity;
        // On the heap once, so the owning object stays small; never reallocated.
        std::unique_ptr<std::array<std::uint8_t, Capacity>> ring =
            std::make_unique<std::array<std::uint8_t, Capacity>>();
        std::size_t head = 0;
        std::size_t count = 0;
        std::array<std::size_t, MaxChunks> chunks{};
        std::size_t chunk_head = 0;
        std::size_t chunk_count = 0;
        std::uint64_t dropped = 0;

        bool fits(std::size_t size) const {
            return size <= Capacity - count && chunk_count < MaxChunks;
        }
        void clear() { head = count = chunk_head = chunk_count = 0; }
    };
    using ReplyLane = Lane<kReplyCapacity, 1024>;
    using StatusLane = Lane<kStatusCapacity, 256>;

    template <typename L>
    void enqueue(L& lane, std::span<const std::uint8_t> bytes) {
        if (failed_ || bytes.empty()) return;
        if (delimiter_due_) {
            delimiter_due_ = false;
            static constexpr std::uint8_t kDelimiter[1] = {0};
            enqueue(replies_, kDelimiter);
        }
        if (!lane.fits(bytes.size())) {
            lane.dropped += bytes.size();
            return;
        }
        const std::size_t tail = (lane.head + lane.count) % L::kCapacity;
        const std::size_t first = std::min(bytes.size(), L::kCapacity - tail);
        std::memcpy(lane.ring->data() + tail, bytes.data(), first);
        std::memcpy(lane.ring->data(), bytes.data() + first, bytes.size() - first);
        lane.count += bytes.size();
        lane.chunks[(lane.chunk_head + lane.chunk_count) % lane.chunks.size()] = bytes.size();
        ++lane.chunk_count;
        if (!writing_) write_next();
    }

    // Writes chunks, replies first, until the lanes are empty or the stream is full. On a
    // stream set non-blocking (a pty master) each chunk is written here and now, and a reply
    // leaves before this returns: no completion handler is queued behind it for the sim to run
    // before its next wait (the pty's work that carries the bytes to the host may be waiting
    // for this CPU). What the stream does not take now is written once there is room
    // (RoomWaiter); on a blocking stream, in an asynchronous write.
    void write_next() {
        while (!writing_ && !failed_) {
            if (current_ == nullptr) {
                if (replies_.chunk_count > 0) {
                    current_ = &replies_;
                } else if (status_.chunk_count > 0) {
                    current_ = &status_;
                } else {
                    return;
                }
            }
            if (current_ == &replies_) {
                write_chunk(replies_);
            } else {
                write_chunk(status_);
            }
        }
    }

    template <typename L>
    void write_chunk(L& lane) {
        const std::size_t chunk = lane.chunks[lane.chunk_head];
        const std::size_t length = std::min(chunk, L::kCapacity - lane.head);
        const auto bytes = boost::asio::buffer(lane.ring->data() + lane.head, length);
        if (stream_.non_blocking()) {
            boost::system::error_code error;
            const std::size_t written = stream_.write_some(bytes, error);
            const bool full =
                error == boost::asio::error::would_block || error == boost::asio::error::try_again;
            if (error ? !full : written > 0) {
                on_written(lane, error, written);
                return;
            }
            // Full: write again once there is room (see RoomWaiter).
            writing_ = true;
            room_.wait(stream_, [this, token = alive_, generation = generation_](
                                    const boost::system::error_code& wait_error) {
                if (!*token || generation != generation_) return;
                writing_ = false;
                if (wait_error) {
                    failed_ = true;
                    return;
                }
                write_next();
            });
            return;
        }
        writing_ = true;
        stream_.async_write_some(bytes,
                                 [this, &lane, token = alive_, generation = generation_](
                                     const boost::system::error_code& error, std::size_t written) {
                                     if (!*token || generation != generation_) return;
                                     writing_ = false;
                                     on_written(lane, error, written);
                                     write_next();
                                 });
    }

    template <typename L>
    void on_written(L& lane, const boost::system::error_code& error, std::size_t written) {
        // The reader notices a dead link; here it is enough to stop writing.
        if (error) {
            failed_ = true;
            return;
        }
        lane.head = (lane.head + written) % L::kCapacity;
        lane.count -= written;
        std::size_t& chunk_left = lane.chunks[lane.chunk_head];
        chunk_left -= written;
        if (chunk_left == 0) {
            lane.chunk_head = (lane.chunk_head + 1) % lane.chunks.size();
            --lane.chunk_count;
            current_ = nullptr;
        }
    }

    Stream& stream_;
    std::shared_ptr<bool> alive_;
    RoomWaiter<Stream> room_;
    ReplyLane replies_;
    StatusLane status_;
    const void* current_ = nullptr;  // the lane whose chunk is being written, if any
    std::uint64_t generation_ = 0;
    bool writing_ = false;
    bool failed_ = false;
    bool delimiter_due_ = false;
};

}  // namespace penlink::simtool
