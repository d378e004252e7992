#include "direction_pipe.hpp"

#include <algorithm>
#include <array>

#include "protocol/cobs.hpp"
#include "protocol/frame.hpp"
#include "protocol/messages.hpp"

namespace penlink::proxytool {
namespace {

using Clock = std::chrono::steady_clock;

// Whether an encoded frame (delimiter excluded) is a Status frame: the type byte of the
// decoded header. Anything that does not decode is not.
bool is_status_frame(std::span<const std::uint8_t> encoded) {
    std::array<std::uint8_t, protocol::kMaxWireFrameSize> decoded{};
    const auto size = protocol::cobs_decode(encoded, decoded);
    return size && *size >= 2 &&
           decoded[1] == static_cast<std::uint8_t>(protocol::MessageType::Status);
}

}  // namespace

DirectionPipe::DirectionPipe(boost::asio::io_context& io, const FaultSettings& settings,
                             DirectionStats& stats, DeterministicRandom& random,
                             ByteStream& destination)
    : settings_(settings),
      stats_(stats),
      random_(random),
      destination_(destination),
      timer_(io),
      alive_(std::make_shared<bool>(true)) {}

DirectionPipe::~DirectionPipe() { *alive_ = false; }

void DirectionPipe::feed(std::span<const std::uint8_t> bytes) {
    stats_.bytes_in += bytes.size();
    for (const std::uint8_t byte : bytes) {
        partial_.push_back(byte);
        if (byte == 0x00) {
            on_frame(std::exchange(partial_, {}));
        } else if (partial_.size() >= kMaxPartial) {
            enqueue(std::exchange(partial_, {}), false);
        }
    }
    pump();
}

void DirectionPipe::on_frame(std::vector<std::uint8_t> frame) {
    if (frame.size() == 1) {  // a lone delimiter: nothing to damage, and it ends any join
        joins_next_ = false;
        enqueue(std::move(frame), false);
        return;
    }
    ++stats_.frames;
    const std::size_t body = frame.size() - 1;  // bytes before the delimiter
    const bool status = is_status_frame({frame.data(), body});
    if (status) ++stats_.status_frames;
    if (random_.chance(settings_.drop)) {
        ++stats_.dropped;
        if (status) ++stats_.status_lost;
        return;
    }
    if (status && queued_bytes_ + frame.size() > queue_limit()) {
        ++stats_.shed;
        ++stats_.status_lost;
        return;
    }
    // The previous frame lost its delimiter: this one arrives glued to it and dies with it.
    const bool joined_previous = std::exchange(joins_next_, false);
    bool damaged = false;
    if (random_.chance(settings_.truncate)) {
        const std::size_t keep = random_.below(body);  // 0 .. body - 1
        frame.erase(frame.begin() + static_cast<std::ptrdiff_t>(keep), frame.end() - 1);
        ++stats_.truncated;
        damaged = true;
    }
    if (frame.size() > 1 && random_.chance(settings_.corrupt)) {
        // Any byte, the delimiter included: noise that destroys it joins this frame to the
        // next one and costs both (docs/protocol.md section 2.5).
        const std::size_t at = random_.below(frame.size());
        frame[at] ^= static_cast<std::uint8_t>(1u << random_.below(8));
        joins_next_ = at == frame.size() - 1;
        ++stats_.corrupted;
        damaged = true;
    }
    // A second copy would only be glued to a first one that lost its delimiter.
    const bool duplicate = !joins_next_ && random_.chance(settings_.duplicate);
    const bool lost = damaged || (joined_previous && !duplicate);
    if (status && lost) ++stats_.status_lost;
    if (duplicate) {
        ++stats_.duplicated;
        enqueue(frame, true);
    }
    enqueue(std::move(frame), true);
}

std::size_t DirectionPipe::queue_limit() const {
    // A throttled link holds about 100 ms of traffic, like a UART driver's buffer.
    const std::uint32_t rate = settings_.throttle_bytes_per_s;
    return rate == 0 ? kQueueLimitBytes : std::max<std::size_t>(512, rate / 10);
}

void DirectionPipe::enqueue(std::vector<std::uint8_t> bytes, bool frame) {
    queued_bytes_ += bytes.size();
    queue_.push_back({std::move(bytes), frame});
}

void DirectionPipe::wake() {
    if (waiting_) {
        timer_.cancel();  // the wait's handler pumps
    } else {
        pump();
    }
}

void DirectionPipe::refill_allowance(Clock::time_point now) {
    const double elapsed_s = std::chrono::duration<double>(now - last_refill_).count();
    last_refill_ = now;
    const std::uint32_t rate = settings_.throttle_bytes_per_s;
    // At most 20 ms worth of burst, so a throttled link never bunches up traffic.
    const double burst = std::max(64.0, rate / 50.0);
    allowance_bytes_ = std::min(burst, allowance_bytes_ + elapsed_s * rate);
}

void DirectionPipe::wait_until(Clock::time_point when) {
    waiting_ = true;
    timer_.expires_at(when);
    timer_.async_wait([this, token = alive_](const boost::system::error_code&) {
        if (!*token) return;
        waiting_ = false;
        pump();
    });
}

void DirectionPipe::pump() {
    if (writing_ || waiting_ || failed_ || queue_.empty()) return;
    const auto now = Clock::now();
    if (now < settings_.stalled_until) {
        wait_until(settings_.stalled_until);
        return;
    }
    const auto& front = queue_.front().bytes;
    std::size_t length = front.size() - front_offset_;
    if (const std::uint32_t rate = settings_.throttle_bytes_per_s; rate > 0) {
        refill_allowance(now);
        const std::size_t wanted = std::min<std::size_t>(length, 64);
        if (allowance_bytes_ < static_cast<double>(wanted)) {
            const double missing_s = (static_cast<double>(wanted) - allowance_bytes_) / rate;
            wait_until(now + std::chrono::duration_cast<Clock::duration>(
                                 std::chrono::duration<double>(missing_s)));
            return;
        }
        length = std::min(length, static_cast<std::size_t>(allowance_bytes_));
        allowance_bytes_ -= static_cast<double>(length);
    } else {
        allowance_bytes_ = 0.0;
        last_refill_ = now;
    }
    writing_ = true;
    destination_.write_some({front.data() + front_offset_, length},
                            [this, token = alive_, length](const boost::system::error_code& error,
                                                           std::size_t written) {
                                if (!*token) return;
                                writing_ = false;
                                if (error) {
                                    failed_ =
                                        true;  // the reader of that stream notices the dead link
                                    return;
                                }
                                // A short write spends only what it wrote of the throttle's
                                // allowance.
                                if (settings_.throttle_bytes_per_s > 0)
                                    allowance_bytes_ += static_cast<double>(length - written);
                                stats_.bytes_out += written;
                                queued_bytes_ -= written;
                                front_offset_ += written;
                                if (front_offset_ == queue_.front().bytes.size()) {
                                    if (queue_.front().frame) ++stats_.forwarded;
                                    queue_.pop_front();
                                    front_offset_ = 0;
                                }
                                pump();
                            });
}

}  // namespace penlink::proxytool
