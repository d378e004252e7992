// The pen's half of "nothing is applied after a newer command" (docs/protocol.md section 5.3).
//
// Per supersession group it remembers the seq of the newest request it applied, plus a barrier:
// the seq of the newest Stop or EmergencyStop it applied. A grouped request whose seq is not
// newer than either is superseded: not applied, answered Nack Superseded. Safing requests
// (Stop, EmergencyStop, EndSession, RF/LED off) are never superseded. Hello (and a new host on
// the link) clears the memory. Fixed size, never allocates; not thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "protocol/messages.hpp"

namespace penlink::sim {

class RequestOrder {
public:
    /// The seq of the newer request that supersedes (seq, request), or nullopt if it may be
    /// applied.
    std::optional<std::uint16_t> superseded_by(std::uint16_t seq,
                                               const protocol::Message& request) const;

    /// Records that (seq, type) was applied (acknowledged).
    void applied(std::uint16_t seq, protocol::MessageType type);

    void clear();

private:
    std::array<std::optional<std::uint16_t>, protocol::kRequestGroupCount> newest_{};
    std::optional<std::uint16_t> barrier_;
};

}  // namespace penlink::sim
