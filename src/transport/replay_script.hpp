// What replay:// plays: a recording (recording/recording_reader.hpp) turned into the host's
// requests in order, each with the pen's recorded answer, and the pen's unsolicited frames
// (status, events) on the recording's timeline. Pure: no I/O, no threads.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "protocol/messages.hpp"
#include "recording/recording_reader.hpp"

namespace penlink::transport {

struct ScriptRequest {
    std::uint64_t time_us = 0;
    std::size_t record = 0;  // index into Recording::records, for messages ("frame N")
    std::uint16_t recorded_seq = 0;
    protocol::Message message;
    std::optional<protocol::Message> reply;  // none if the recording ends before the answer
};

struct ScriptFrame {
    std::uint64_t time_us = 0;
    bool event = false;      // Event (always delivered) or Status (may be skipped)
    std::size_t record = 0;  // index into Recording::records
};

struct ReplayScript {
    recording::Recording recording;
    std::vector<ScriptRequest> requests;  // heartbeats and resends left out
    std::vector<ScriptFrame> unsolicited;
    std::size_t undecodable = 0;  // frames that are not valid protocol frames (line noise)
    /// Every module descriptor the recording holds, by CRC-32: read whole over the link
    /// (DescriptorChunk replies) or written by the SDK (descriptor records). ReadDescriptor is
    /// answered from these, not from requests: whether a host reads a descriptor depends on what
    /// its process has cached, not on the session.
    std::map<std::uint32_t, std::string> descriptors;
};

/// Builds the script. Throws penlink::NotSupportedError naming the file if the recording holds
/// an authenticated (sealed) session: replay does not hold the pen's key, so it cannot answer
/// one.
ReplayScript build_replay_script(recording::Recording recording);

/// Whether the host's request is the one the recording expects: same type and payload; Hello
/// compares versions only (its nonce is random in every session).
bool same_request(const protocol::Message& expected, const protocol::Message& sent);

/// A request as a person reads it: "SetDepth 1.250 mm", "SubscribeStatus 10 Hz", "Start".
std::string describe_request(const protocol::Message& message);

}  // namespace penlink::transport
