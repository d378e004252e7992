// encode_payload / decode_payload: each message's wire layout (payload_layout.hpp), run
// through ByteWriter (encode) or ByteReader (decode). The status stream's own writer is
// status_payload_writer.cpp.
#include <cstring>
#include <string>
#include <type_traits>
#include <variant>

#include "protocol/byte_io.hpp"
#include "protocol/messages.hpp"
#include "protocol/payload_layout.hpp"

namespace penlink::protocol {
namespace {

using detail::ByteReader;
using detail::ByteWriter;
using detail::fields;

// Strict UTF-8 (no overlongs, no surrogates, <= U+10FFFF): a pen that sends anything else in
// model/serial is broken, and passing it on would only move the failure into user code.
bool is_valid_utf8(const std::string& text) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
    std::size_t i = 0;
    while (i < text.size()) {
        const unsigned char lead = bytes[i];
        std::size_t extra = 0;
        unsigned char low = 0x80, high = 0xBF;
        if (lead < 0x80) {
            ++i;
            continue;
        } else if (lead >= 0xC2 && lead <= 0xDF) {
            extra = 1;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            extra = 2;
            if (lead == 0xE0) low = 0xA0;
            if (lead == 0xED) high = 0x9F;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            extra = 3;
            if (lead == 0xF0) low = 0x90;
            if (lead == 0xF4) high = 0x8F;
        } else {
            return false;
        }
        if (text.size() - i <= extra) {
            return false;
        }
        for (std::size_t k = 1; k <= extra; ++k) {
            const unsigned char next = bytes[i + k];
            if (next < (k == 1 ? low : 0x80) || next > (k == 1 ? high : 0xBF)) {
                return false;
            }
        }
        i += extra + 1;
    }
    return true;
}

// Where a message of type M is decoded: a fresh one in out, except a Status over the Status out
// holds (a FrameDecoder's frame, on a status stream every time). Decoding writes every field of
// a Status and its first telemetry_count readings, and decode_into clears the others, so the
// result is the same; emplacing zero-filled all 192 bytes first.
template <typename M>
M& decode_target(Message& out) {
    if constexpr (std::is_same_v<M, Status>) {
        if (auto* status = std::get_if<Status>(&out)) return *status;
    }
    return out.emplace<M>();
}

template <typename M>
bool decode_into(std::span<const std::uint8_t> payload, Message& out) {
    M& message = decode_target<M>(out);
    ByteReader reader(payload);
    fields(reader, message);
    if (!reader.ok()) {
        return false;
    }
    if constexpr (std::is_same_v<M, Status>) {
        // ok(): the count is within the array. Bytes, not a loop over the readings: all zero is
        // what a value-initialized reading holds, and memset takes the 128 bytes in a few stores.
        static_assert(std::is_trivially_copyable_v<TelemetryValue>);
        const std::size_t used = message.telemetry_count;
        std::memset(static_cast<void*>(message.telemetry.data() + used), 0,
                    (message.telemetry.size() - used) * sizeof(TelemetryValue));
    }
    if constexpr (std::is_same_v<M, Info>) {
        if (!is_valid_utf8(message.model) || !is_valid_utf8(message.serial)) {
            return false;
        }
    }
    if constexpr (std::is_same_v<M, HelloReply>) {
        if (!is_valid_utf8(message.serial)) {
            return false;
        }
    }
    return true;
}

}  // namespace

std::optional<std::size_t> encode_payload(const Message& message, std::span<std::uint8_t> out) {
    ByteWriter writer(out);
    std::visit([&writer](const auto& m) { fields(writer, m); }, message);
    if (!writer.ok()) {
        return std::nullopt;
    }
    return writer.size();
}

std::optional<Message> decode_payload(MessageType type, std::span<const std::uint8_t> payload) {
    Message message;
    if (!decode_payload(type, payload, message)) {
        return std::nullopt;
    }
    return message;
}

bool decode_payload(MessageType type, std::span<const std::uint8_t> payload, Message& out) {
    switch (type) {
        case MessageType::Hello:
            return decode_into<Hello>(payload, out);
        case MessageType::GetInfo:
            return decode_into<GetInfo>(payload, out);
        case MessageType::SetDepth:
            return decode_into<SetDepth>(payload, out);
        case MessageType::SetSpeed:
            return decode_into<SetSpeed>(payload, out);
        case MessageType::Start:
            return decode_into<Start>(payload, out);
        case MessageType::Stop:
            return decode_into<Stop>(payload, out);
        case MessageType::SetRf:
            return decode_into<SetRf>(payload, out);
        case MessageType::SetLed:
            return decode_into<SetLed>(payload, out);
        case MessageType::Heartbeat:
            return decode_into<Heartbeat>(payload, out);
        case MessageType::EmergencyStop:
            return decode_into<EmergencyStop>(payload, out);
        case MessageType::ClearEmergencyStop:
            return decode_into<ClearEmergencyStop>(payload, out);
        case MessageType::SubscribeStatus:
            return decode_into<SubscribeStatus>(payload, out);
        case MessageType::ClearFaults:
            return decode_into<ClearFaults>(payload, out);
        case MessageType::EndSession:
            return decode_into<EndSession>(payload, out);
        case MessageType::SetDepthLimit:
            return decode_into<SetDepthLimit>(payload, out);
        case MessageType::GetSettings:
            return decode_into<GetSettings>(payload, out);
        case MessageType::GetModules:
            return decode_into<GetModules>(payload, out);
        case MessageType::ReadDescriptor:
            return decode_into<ReadDescriptor>(payload, out);
        case MessageType::SetParams:
            return decode_into<SetParams>(payload, out);
        case MessageType::GetParams:
            return decode_into<GetParams>(payload, out);
        case MessageType::Authenticate:
            return decode_into<Authenticate>(payload, out);
        case MessageType::ChangeKey:
            return decode_into<ChangeKey>(payload, out);
        case MessageType::Ack:
            return decode_into<Ack>(payload, out);
        case MessageType::Nack:
            return decode_into<Nack>(payload, out);
        case MessageType::HelloReply:
            return decode_into<HelloReply>(payload, out);
        case MessageType::Info:
            return decode_into<Info>(payload, out);
        case MessageType::Status:
            return decode_into<Status>(payload, out);
        case MessageType::Event:
            return decode_into<Event>(payload, out);
        case MessageType::Settings:
            return decode_into<Settings>(payload, out);
        case MessageType::Modules:
            return decode_into<Modules>(payload, out);
        case MessageType::DescriptorChunk:
            return decode_into<DescriptorChunk>(payload, out);
        case MessageType::Params:
            return decode_into<Params>(payload, out);
    }
    return false;
}

}  // namespace penlink::protocol
