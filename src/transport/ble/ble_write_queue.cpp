#include "transport/ble/ble_write_queue.hpp"

#include <algorithm>

namespace penlink::transport {

bool BleWriteQueue::push(std::span<const std::uint8_t> bytes) {
    if (bytes_.size() + bytes.size() > capacity_) return false;
    bytes_.insert(bytes_.end(), bytes.begin(), bytes.end());
    return true;
}

void BleWriteQueue::push_urgent(std::span<const std::uint8_t> frame) {
    auto at = bytes_.begin();
    if (!handed_out_ends_frame_) {
        // The tail of the frame already partly written goes first, delimiter included.
        const auto end = std::find(bytes_.begin(), bytes_.end(), std::uint8_t{0});
        at = end == bytes_.end() ? bytes_.end() : end + 1;
    }
    bytes_.insert(at, frame.begin(), frame.end());
}

std::vector<std::uint8_t> BleWriteQueue::take_chunk(std::size_t max_bytes) {
    const std::size_t size = std::min(max_bytes, bytes_.size());
    std::vector<std::uint8_t> chunk(bytes_.begin(),
                                    bytes_.begin() + static_cast<std::ptrdiff_t>(size));
    bytes_.erase(bytes_.begin(), bytes_.begin() + static_cast<std::ptrdiff_t>(size));
    if (!chunk.empty()) handed_out_ends_frame_ = chunk.back() == 0x00;
    return chunk;
}

void BleWriteQueue::clear() {
    bytes_.clear();
    handed_out_ends_frame_ = true;
}

}  // namespace penlink::transport
