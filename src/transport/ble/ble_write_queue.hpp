// The host-to-pen byte queue of a BLE link: frames go out as GATT writes of at most one ATT
// payload (MTU - 3) each, and an emergency stop overtakes everything not yet handed to BlueZ at
// the next frame boundary (protocol.md 5.4 and 15.4).
//
// Pure bookkeeping, no I/O and no threads: BleTransport uses it on its io thread only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <span>
#include <vector>

namespace penlink::transport {

class BleWriteQueue {
public:
    /// capacity_bytes bounds what push() accepts; an urgent frame is never refused.
    explicit BleWriteQueue(std::size_t capacity_bytes) : capacity_(capacity_bytes) {}

    /// Appends bytes; false (and nothing queued) if they would take the queue past its capacity.
    bool push(std::span<const std::uint8_t> bytes);

    /// Puts a whole frame (ending in 0x00) ahead of every queued byte, but after the rest of a
    /// frame that an earlier chunk cut: the pen's decoder must see whole frames.
    void push_urgent(std::span<const std::uint8_t> frame);

    /// Takes the next chunk of at most max_bytes (max_bytes > 0); empty when nothing is queued.
    std::vector<std::uint8_t> take_chunk(std::size_t max_bytes);

    std::size_t queued_bytes() const { return bytes_.size(); }
    std::size_t capacity() const { return capacity_; }
    bool empty() const { return bytes_.empty(); }
    void clear();

private:
    std::size_t capacity_;
    std::deque<std::uint8_t> bytes_;
    bool handed_out_ends_frame_ = true;  // did the last chunk end on a frame delimiter?
};

}  // namespace penlink::transport
