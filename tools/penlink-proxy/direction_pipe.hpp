// One direction of a proxied link: bytes from the source are split into frames at 0x00, each
// frame is dropped, truncated, corrupted or duplicated as the live FaultSettings say, and the
// result is written to the destination, paced by the throttle and held back by a stall.
//
// Bytes that do not end in a delimiter within kMaxPartial are passed on unchanged (they are
// noise, not a frame). Single-threaded (the io_context's thread). The settings, counters and
// random source belong to the Proxy and outlive every pipe.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "byte_stream.hpp"
#include "deterministic_random.hpp"
#include "fault_settings.hpp"

namespace penlink::proxytool {

class DirectionPipe {
public:
    static constexpr std::size_t kMaxPartial = 1024;
    /// Queue depth beyond which Status frames are shed: a stalled or unthrottled link.
    static constexpr std::size_t kQueueLimitBytes = 16 * 1024;

    DirectionPipe(boost::asio::io_context& io, const FaultSettings& settings, DirectionStats& stats,
                  DeterministicRandom& random, ByteStream& destination);
    ~DirectionPipe();
    DirectionPipe(const DirectionPipe&) = delete;
    DirectionPipe& operator=(const DirectionPipe&) = delete;

    /// Bytes read from the source.
    void feed(std::span<const std::uint8_t> bytes);
    /// The settings changed (a stall ended, the throttle moved): look at the queue again.
    void wake();

private:
    void on_frame(std::vector<std::uint8_t> frame);
    struct Chunk {
        std::vector<std::uint8_t> bytes;
        bool frame = false;  // a frame (counted as forwarded once written), not a noise run
    };

    void enqueue(std::vector<std::uint8_t> bytes, bool frame);
    std::size_t queue_limit() const;
    void pump();
    void wait_until(std::chrono::steady_clock::time_point when);
    void refill_allowance(std::chrono::steady_clock::time_point now);

    const FaultSettings& settings_;
    DirectionStats& stats_;
    DeterministicRandom& random_;
    ByteStream& destination_;
    boost::asio::steady_timer timer_;
    std::shared_ptr<bool> alive_;

    std::vector<std::uint8_t> partial_;
    bool joins_next_ = false;       // the last frame sent lost its delimiter
    std::deque<Chunk> queue_;       // in order of arrival
    std::size_t front_offset_ = 0;  // bytes of queue_.front() already written
    std::size_t queued_bytes_ = 0;
    bool writing_ = false;
    bool waiting_ = false;
    bool failed_ = false;
    double allowance_bytes_ = 0.0;  // token bucket of the throttle
    std::chrono::steady_clock::time_point last_refill_ = std::chrono::steady_clock::now();
};

}  // namespace penlink::proxytool
