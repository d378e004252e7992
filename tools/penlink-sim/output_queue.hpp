// Bounded, non-blocking output for a byte stream (pty master or TCP socket).
//
// The simulated pen must never stall because nobody reads its port: bytes go into a fixed
// ring and are written asynchronously; when the ring cannot take a whole chunk, the chunk is
// dropped and counted. SimDevice hands over whole frames per chunk, so a drop never leaves a
// torn frame on the wire. Single-threaded (the io_context's thread).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>

#include <boost/asio/buffer.hpp>

namespace penlink::simtool {

template <typename Stream>
class OutputQueue {
public:
    static constexpr std::size_t kCapacity = 64 * 1024;
    static constexpr std::size_t kSmallChunk = 512;  // a few whole frames
    static constexpr std::size_t kHeadroom = 8 * 1024;

    explicit OutputQueue(Stream& stream) : stream_(stream), alive_(std::make_shared<bool>(true)) {}
    ~OutputQueue() { *alive_ = false; }
    OutputQueue(const OutputQueue&) = delete;
    OutputQueue& operator=(const OutputQueue&) = delete;

    void push(std::span<const std::uint8_t> bytes) {
        if (failed_) return;
        // Bulk chunks (a tick's worth of fast status) must leave headroom, so a reply or an
        // event still gets through when the host reads slower than the status stream.
        const std::size_t reserve = bytes.size() > kSmallChunk ? kHeadroom : 0;
        if (bytes.size() + reserve > kCapacity - count_) {
            dropped_bytes_ += bytes.size();
            return;
        }
        std::size_t tail = (head_ + count_) % kCapacity;
        std::size_t first = std::min(bytes.size(), kCapacity - tail);
        std::memcpy(ring_->data() + tail, bytes.data(), first);
        std::memcpy(ring_->data(), bytes.data() + first, bytes.size() - first);
        count_ += bytes.size();
        if (!writing_) write_next();
    }

    std::uint64_t dropped_bytes() const { return dropped_bytes_; }

private:
    void write_next() {
        const std::size_t length = std::min(count_, kCapacity - head_);
        writing_ = true;
        stream_.async_write_some(
            boost::asio::buffer(ring_->data() + head_, length),
            [this, token = alive_](const boost::system::error_code& error, std::size_t written) {
                if (!*token) return;
                writing_ = false;
                // The reader notices a dead link; here it is enough to stop writing.
                if (error) {
                    failed_ = true;
                    return;
                }
                head_ = (head_ + written) % kCapacity;
                count_ -= written;
                if (count_ > 0) write_next();
            });
    }

    Stream& stream_;
    std::shared_ptr<bool> alive_;
    // On the heap once, so the owning object stays small; never reallocated.
    std::unique_ptr<std::array<std::uint8_t, kCapacity>> ring_ =
        std::make_unique<std::array<std::uint8_t, kCapacity>>();
    std::size_t head_ = 0;
    std::size_t count_ = 0;
    bool writing_ = false;
    bool failed_ = false;
    std::uint64_t dropped_bytes_ = 0;
};

}  // namespace penlink::simtool
