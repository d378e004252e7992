// The pen's memory of its last replies, so a host retry (same seq, same type) is answered
// with the identical frame instead of being applied twice (docs/protocol.md section 5.2).
// Twice the host's in-flight limit, so any request a conforming host can still resend is
// either here or was never seen. Fixed size, never allocates.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "protocol/frame.hpp"
#include "protocol/messages.hpp"

namespace penlink::sim {

class ReplyCache {
public:
    static constexpr std::size_t kCapacity = protocol::kReplyCacheSize;

    /// The remembered reply to (seq, request type), or nullptr.
    const protocol::WireFrame* find(std::uint16_t seq, protocol::MessageType request) const {
        for (const Entry& entry : entries_) {
            if (entry.used && entry.seq == seq && entry.request == request) return &entry.reply;
        }
        return nullptr;
    }

    /// Remembers a reply, forgetting the oldest once full.
    void store(std::uint16_t seq, protocol::MessageType request, const protocol::WireFrame& reply) {
        Entry& entry = entries_[next_];
        entry = {true, seq, request, reply};
        next_ = (next_ + 1) % kCapacity;
    }

    void clear() {
        for (Entry& entry : entries_) entry.used = false;
        next_ = 0;
    }

private:
    struct Entry {
        bool used = false;
        std::uint16_t seq = 0;
        protocol::MessageType request = protocol::MessageType::Heartbeat;
        protocol::WireFrame reply;
    };
    std::array<Entry, kCapacity> entries_{};
    std::size_t next_ = 0;
};

}  // namespace penlink::sim
