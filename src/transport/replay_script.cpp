#include "transport/replay_script.hpp"

#include <algorithm>
#include <cstdio>

#include "penlink/errors.hpp"
#include "protocol/crc.hpp"
#include "protocol/frame.hpp"

namespace penlink::transport {
namespace {

// How far back a resend of a request can be: the host's in-flight window (a resend always
// reuses the seq of a request still outstanding).
constexpr std::size_t kResendLookback = protocol::kMaxInFlight * 2;

std::string fixed(double value, int decimals) {
    char text[32];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

[[noreturn]] void refuse_sealed(const recording::Recording& recording, std::size_t index) {
    throw NotSupportedError("replay:// cannot play back '" + recording.source +
                            "': it holds an authenticated (sealed) session (frame " +
                            std::to_string(index + 1) +
                            "), and replay does not hold the pen's key to answer one; record "
                            "without authentication to replay");
}

// Puts a descriptor the pen sent in chunks back together, slot by slot, into the script's pool.
class ChunkAssembler {
public:
    void add(const protocol::DescriptorChunk& chunk, std::map<std::uint32_t, std::string>& pool) {
        Partial& p = partial_[chunk.slot];
        if (chunk.offset == 0) p = Partial{{}, chunk.total_size};
        if (chunk.total_size != p.total_size || chunk.offset != p.bytes.size()) return;
        p.bytes.append(reinterpret_cast<const char*>(chunk.bytes.data()), chunk.length);
        if (p.total_size == 0 || p.bytes.size() != p.total_size) return;
        const auto crc = protocol::crc32(
            std::span(reinterpret_cast<const std::uint8_t*>(p.bytes.data()), p.bytes.size()));
        pool.emplace(crc, std::move(p.bytes));
        p = Partial{};
    }

private:
    struct Partial {
        std::string bytes;
        std::size_t total_size = 0;
    };
    std::map<std::uint8_t, Partial> partial_;
};

}  // namespace

bool same_request(const protocol::Message& expected, const protocol::Message& sent) {
    const auto* expected_hello = std::get_if<protocol::Hello>(&expected);
    const auto* sent_hello = std::get_if<protocol::Hello>(&sent);
    if (expected_hello || sent_hello) {
        return expected_hello && sent_hello &&
               expected_hello->min_version == sent_hello->min_version &&
               expected_hello->max_version == sent_hello->max_version;
    }
    return expected == sent;
}

std::string describe_request(const protocol::Message& message) {
    std::string name = protocol::to_string(protocol::type_of(message));
    if (const auto* depth = std::get_if<protocol::SetDepth>(&message))
        return name + " " + fixed(depth->depth_um / 1000.0, 3) + " mm";
    if (const auto* limit = std::get_if<protocol::SetDepthLimit>(&message))
        return name + " " + fixed(limit->depth_limit_um / 1000.0, 3) + " mm";
    if (const auto* speed = std::get_if<protocol::SetSpeed>(&message))
        return name + " " + fixed(speed->speed_chz / 100.0, 2) + " Hz";
    if (const auto* rate = std::get_if<protocol::SubscribeStatus>(&message))
        return name + " " + std::to_string(rate->rate_hz) + " Hz";
    if (const auto* read = std::get_if<protocol::ReadDescriptor>(&message))
        return name + " slot " + std::to_string(read->slot) + " offset " +
               std::to_string(read->offset);
    return name;
}

ReplayScript build_replay_script(recording::Recording recording) {
    ReplayScript script;
    script.recording = std::move(recording);
    const auto& records = script.recording.records;
    ChunkAssembler chunks;
    for (std::size_t i = 0; i < records.size(); ++i) {
        const auto& record = records[i];
        if (record.flags & recording::kFlagNoDelimiter) {
            ++script.undecodable;
            continue;
        }
        const auto bytes = script.recording.bytes_of(record);
        protocol::DecodedFrame frame;
        if (const auto error = protocol::FrameDecoder::decode(bytes, frame)) {
            if (*error == protocol::FrameError::Unexpected) refuse_sealed(script.recording, i);
            ++script.undecodable;
            continue;
        }
        const auto type = frame.header.type;
        if (record.direction == recording::Direction::HostToPen) {
            if (type == protocol::MessageType::Authenticate) refuse_sealed(script.recording, i);
            if (type == protocol::MessageType::Heartbeat) continue;
            if (type == protocol::MessageType::ReadDescriptor) continue;  // from descriptors
            bool resend = false;
            const std::size_t first = script.requests.size() > kResendLookback
                                          ? script.requests.size() - kResendLookback
                                          : 0;
            for (std::size_t r = first; r < script.requests.size(); ++r) {
                if (script.requests[r].recorded_seq == frame.header.seq &&
                    script.requests[r].message == frame.message)
                    resend = true;
            }
            if (resend) continue;
            script.requests.push_back(
                ScriptRequest{record.time_us, i, frame.header.seq, frame.message, std::nullopt});
            continue;
        }
        if (type == protocol::MessageType::Status || type == protocol::MessageType::Event) {
            script.unsolicited.push_back(
                ScriptFrame{record.time_us, type == protocol::MessageType::Event, i});
            continue;
        }
        if (const auto* chunk = std::get_if<protocol::DescriptorChunk>(&frame.message)) {
            chunks.add(*chunk, script.descriptors);
            continue;
        }
        // A reply answers the latest request of its seq that has none yet. A Busy Nack is not an
        // answer: the host resends and the pen answers again.
        const auto* nack = std::get_if<protocol::Nack>(&frame.message);
        if (nack && nack->reason == protocol::NackReason::Busy) continue;
        const std::size_t look = std::min(script.requests.size(), kResendLookback);
        for (auto it = script.requests.rbegin(); it != script.requests.rbegin() + look; ++it) {
            if (it->recorded_seq == frame.header.seq) {
                if (!it->reply) it->reply = frame.message;
                break;
            }
        }
    }
    for (const auto& recorded : script.recording.descriptors)
        script.descriptors.emplace(recorded.crc, script.recording.text_of(recorded));
    return script;
}

}  // namespace penlink::transport
