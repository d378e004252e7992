#include "protocol/frame_auth.hpp"

#include <algorithm>
#include <limits>

namespace penlink::protocol {

bool ReplayWindow::fresh(std::uint32_t counter) const {
    if (counter == 0) return false;
    if (counter > highest_) return true;
    const std::uint32_t age = highest_ - counter;
    return age < kReplayWindowSize && (seen_ & (std::uint64_t{1} << age)) == 0;
}

void ReplayWindow::accept(std::uint32_t counter) {
    if (counter > highest_) {
        const std::uint32_t shift = counter - highest_;
        seen_ = shift >= kReplayWindowSize ? 0 : seen_ << shift;
        seen_ |= 1;
        highest_ = counter;
    } else {
        seen_ |= std::uint64_t{1} << (highest_ - counter);
    }
}

bool FrameSealer::seal(std::span<const std::uint8_t> covered,
                       std::span<std::uint8_t, kSealSize> seal) {
    if (counter_ == std::numeric_limits<std::uint32_t>::max()) return false;
    const std::uint32_t counter = ++counter_;
    for (std::size_t i = 0; i < kCounterSize; ++i)
        seal[i] = static_cast<std::uint8_t>(counter >> (8 * i));
    const auto tag = mac_.compute(covered, seal.first(kCounterSize));
    std::copy(tag.begin(), tag.end(), seal.begin() + kCounterSize);
    return true;
}

std::optional<SealError> FrameOpener::open(std::span<const std::uint8_t> covered,
                                           std::uint32_t counter,
                                           std::span<const std::uint8_t, kMacSize> mac) {
    std::array<std::uint8_t, kCounterSize> counter_bytes{};
    for (std::size_t i = 0; i < kCounterSize; ++i)
        counter_bytes[i] = static_cast<std::uint8_t>(counter >> (8 * i));
    const auto expected = mac_.compute(covered, counter_bytes);
    if (!crypto::equal(expected, mac)) return SealError::Mac;
    if (!window_.fresh(counter)) return SealError::Replay;
    window_.accept(counter);
    return std::nullopt;
}

}  // namespace penlink::protocol
