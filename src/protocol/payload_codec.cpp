// encode_payload / decode_payload: each message's wire layout, written once as a list of
// fields and run through ByteWriter (encode) or ByteReader (decode).
#include <algorithm>
#include <array>
#include <utility>

#include "protocol/byte_io.hpp"
#include "protocol/messages.hpp"

namespace penlink::protocol {
namespace detail {

template <>
bool is_valid_enum<MessageType>(std::uint8_t raw) {
    return (raw >= 0x01 && raw <= 0x16) || (raw >= 0x80 && raw <= 0x89);
}
template <>
bool is_valid_enum<NackReason>(std::uint8_t raw) {
    return raw >= 1 && raw <= 16;
}
template <>
bool is_valid_enum<Field>(std::uint8_t raw) {
    return raw <= 14;
}
template <>
bool is_valid_enum<LimitKind>(std::uint8_t raw) {
    return raw <= 7;
}
template <>
bool is_valid_enum<PenState>(std::uint8_t raw) {
    return raw <= 4;
}
template <>
bool is_valid_enum<RfPolarity>(std::uint8_t raw) {
    return raw <= 1;
}
template <>
bool is_valid_enum<LedMode>(std::uint8_t raw) {
    return raw <= 1;
}
template <>
bool is_valid_enum<EventKind>(std::uint8_t raw) {
    return raw >= 1 && raw <= 11;
}
template <>
bool is_valid_enum<AuthMode>(std::uint8_t raw) {
    return raw <= 1;
}

}  // namespace detail

namespace {

using detail::ByteReader;
using detail::ByteWriter;

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

// A u8 count followed by that many entries of a fixed-capacity array: more than the array
// holds is malformed (never truncated), and no heap is touched either way.
template <typename Io, typename Count, typename Array, typename Entry>
void counted(Io& io, Count& count, Array& entries, Entry entry) {
    io.field(count);
    if (count > entries.size()) {
        io.fail();
        return;
    }
    for (std::size_t i = 0; i < count && io.ok(); ++i) {
        entry(entries[i]);
    }
}

// One (id, raw) entry of SetParams and Params.
template <typename Io, typename V>
void param_value(Io& io, V& value) {
    io.field(value.id);
    io.field(value.raw);
}

// One overload per message: the field order here IS the wire layout (docs/protocol.md).
// M is the message type, const when encoding; Io is ByteWriter or ByteReader.
template <typename Io, typename M>
void fields(Io&, M&) requires(std::is_empty_v<std::remove_const_t<M>>) {}

template <typename Io, typename M>
void fields(Io& io, M& m) requires std::is_same_v<std::remove_const_t<M>, Hello> {
    io.field(m.min_version);
    io.field(m.max_version);
    io.optional_tail();  // a host that does not authenticate may end here
    io.bytes(m.host_nonce);
}
template <typename Io, typename M>
void fields(Io& io, M& m) requires std::is_same_v<std::remove_const_t<M>, Authenticate> {
    io.bytes(m.host_proof);
}
template <typename Io, typename M>
void fields(Io& io, M& m) requires std::is_same_v<std::remove_const_t<M>, ChangeKey> {
    io.bytes(m.wrapped_key);
}
template <typename Io, typename M>
void fields(Io& io, M& m) requires std::is_same_v<std::remove_const_t<M>, SetDepth> {
    io.field(m.depth_um);
}
template <typename Io, typename M>
void fields(Io& io, M& m) requires std::is_same_v<std::remove_const_t<M>, SetSpeed> {
    io.field(m.speed_chz);
}
template <typename Io, typename M>
void fields(Io& io, M& m) requires std::is_same_v<std::remove_const_t<M>, SetRf> {
    io.field(m.enabled);
    io.field(m.polarity);
    io.field(m.frequency_khz);
    io.field(m.power_mw);
    io.field(m.pulse_ms);
}
template <typename Io, typename M>
void fields(Io& io, M& m) requires std::is_same_v<std::remove_const_t<M>, SetLed> {
    io.field(m.enabled);
    io.field(m.wavelength_nm);
    io.field(m.irradiance_dmw_cm2);
    io.field(m.mode);
    io.field(m.pulse_rate_chz);
    io.field(m.duty_permille);
}
template <typename Io, typename M>
void fields(Io& io, M& m) requires std::is_same_v<std::remove_const_t<M>, SetDepthLimit> {
    io.field(m.depth_limit_um);
}
template <typename Io, typename M>
void fields(Io& io, M& m) requires std::is_same_v<std::remove_const_t<M>, SubscribeStatus> {
    io.field(m.rate_hz);
}
template <typename Io, typename M>
void fields(Io& io, M& m) requires std::is_same_v<std::remove_const_t<M>, Ack> {
    io.field(m.request);
}
template <typename Io, typename M>
void fields(Io& io, M& m) requires std::is_same_v<std::remove_const_t<M>, Nack> {
    io.field(m.request);
    io.field(m.reason);
    io.field(m.field);
    io.field(m.value);
    io.field(m.limit);
    io.field(m.limit_kind);
    io.optional_tail();  // a v2 Nack from before modules ends here
    io.field(m.slot);
    io.field(m.param_id);
}
template <typename Io, typename M>
void fields(Io& io, M& m) requires std::is_same_v<std::remove_const_t<M>, HelloReply> {
    io.field(m.version);
    io.field(m.boot_id);
    io.field(m.session_id);
    io.optional_tail();  // a pen from before authentication ends here
    io.field(m.auth_mode);
    io.bytes(m.key_id);
    io.bytes(m.pen_nonce);
    io.bytes(m.pen_proof);
    io.string(m.serial, kMaxStringLength);
}
template <typename Io, typename M>
void fields(Io& io, M& m) requires std::is_same_v<std::remove_const_t<M>, Info> {
    io.string(m.model, kMaxStringLength);
    io.string(m.serial, kMaxStringLength);
    io.field(m.fw_major);
    io.field(m.fw_minor);
    io.field(m.fw_patch);
    io.field(m.depth_min_um);
    io.field(m.depth_max_um);
    io.field(m.depth_step_um);
    io.field(m.speed_min_chz);
    io.field(m.speed_max_chz);
    io.field(m.watchdog_ms);
    io.field(m.max_status_rate_hz);
    io.field(m.addons);
    io.field(m.rf_frequency_min_khz);
    io.field(m.rf_frequency_max_khz);
    io.field(m.rf_power_max_mw);
    io.field(m.rf_pulse_min_ms);
    io.field(m.rf_pulse_max_ms);
    io.field(m.rf_polarities);
    io.field(m.led_channel_count);
    // Only the fitted channels travel; more than the struct can hold is a malformed Info.
    const std::size_t channels = std::min<std::size_t>(m.led_channel_count, kMaxLedChannels + 1);
    for (std::size_t i = 0; i < channels && io.ok(); ++i) {
        if (i == kMaxLedChannels) {
            io.fail();
            break;
        }
        io.field(m.led_channels[i].wavelength_nm);
        io.field(m.led_channels[i].max_irradiance_dmw_cm2);
    }
    io.field(m.led_pulse_rate_min_chz);
    io.field(m.led_pulse_rate_max_chz);
}
template <typename Io, typename M>
void fields(Io& io, M& m) requires std::is_same_v<std::remove_const_t<M>, Status> {
    io.field(m.status_seq);
    io.field(m.timestamp_ms);
    io.field(m.state);
    io.field(m.depth_set_um);
    io.field(m.depth_actual_um);
    io.field(m.speed_set_chz);
    io.field(m.speed_actual_chz);
    io.field(m.battery_pct);
    io.field(m.temperature_cdeg);
    io.field(m.cartridge_id);
    io.field(m.cartridge_strokes);
    io.field(m.cartridge_stroke_limit);
    io.field(m.rf_flags);
    io.field(m.rf_impedance_ohm);
    io.field(m.rf_energy_mj);
    io.field(m.led_flags);
    io.field(m.led_wavelength_nm);
    io.field(m.led_dose_uj_cm2);
    io.field(m.fault_bits);
    io.field(m.session_id);
    io.field(m.depth_limit_um);
    io.optional_tail();  // a v2 Status from before modules ends here
    counted(io, m.telemetry_count, m.telemetry, [&io](auto& value) {
        io.field(value.slot);
        io.field(value.channel);
        io.field(value.raw);
    });
}
template <typename Io, typename M>
void fields(Io& io, M& m) requires std::is_same_v<std::remove_const_t<M>, ReadDescriptor> {
    io.field(m.slot);
    io.field(m.offset);
    io.field(m.length);
    if (m.length == 0 || m.length > kMaxDescriptorChunk) io.fail();
}
template <typename Io, typename M>
void fields(Io& io, M& m) requires std::is_same_v<std::remove_const_t<M>, SetParams> {
    io.field(m.slot);
    counted(io, m.count, m.params, [&io](auto& value) { param_value(io, value); });
    if (m.count == 0) io.fail();
}
template <typename Io, typename M>
void fields(Io& io, M& m) requires std::is_same_v<std::remove_const_t<M>, GetParams> {
    io.field(m.slot);
    counted(io, m.count, m.ids, [&io](auto& id) { io.field(id); });
}
template <typename Io, typename M>
void fields(Io& io, M& m) requires std::is_same_v<std::remove_const_t<M>, Params> {
    io.field(m.slot);
    counted(io, m.count, m.params, [&io](auto& value) { param_value(io, value); });
}
template <typename Io, typename M>
void fields(Io& io, M& m) requires std::is_same_v<std::remove_const_t<M>, Modules> {
    counted(io, m.count, m.modules, [&io](auto& module) {
        io.field(module.slot);
        io.field(module.vendor_id);
        io.field(module.model_id);
        io.field(module.fw_major);
        io.field(module.fw_minor);
        io.field(module.fw_patch);
        io.field(module.descriptor_size);
        io.field(module.descriptor_crc);
    });
}
template <typename Io, typename M>
void fields(Io& io, M& m) requires std::is_same_v<std::remove_const_t<M>, DescriptorChunk> {
    io.field(m.slot);
    io.field(m.offset);
    io.field(m.total_size);
    counted(io, m.length, m.bytes, [&io](auto& byte) { io.field(byte); });
    if (m.total_size > kMaxDescriptorSize || m.offset + m.length > m.total_size) io.fail();
}
template <typename Io, typename M>
void fields(Io& io, M& m) requires std::is_same_v<std::remove_const_t<M>, Settings> {
    io.field(m.session_id);
    io.field(m.state);
    io.field(m.depth_set_um);
    io.field(m.depth_limit_um);
    io.field(m.speed_set_chz);
    io.field(m.running);
    fields(io, m.rf);
    fields(io, m.led);
    io.field(m.status_rate_hz);
    io.field(m.fault_bits);
}
template <typename Io, typename M>
void fields(Io& io, M& m) requires std::is_same_v<std::remove_const_t<M>, Event> {
    io.field(m.kind);
    io.field(m.detail);
    io.field(m.timestamp_ms);
}

template <typename M>
bool decode_into(std::span<const std::uint8_t> payload, Message& out) {
    M& message = out.emplace<M>();
    ByteReader reader(payload);
    fields(reader, message);
    if (!reader.ok()) {
        return false;
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

std::optional<std::size_t> encode_status_payload(const Status& status,
                                                 std::span<std::uint8_t> out) {
    // The largest Status payload (every telemetry slot used), measured once with the layout
    // itself so no second copy of it exists.
    static const std::size_t largest = [] {
        Status full;
        full.telemetry_count = kMaxTelemetryValues;
        std::array<std::uint8_t, 256> scratch{};
        ByteWriter writer(scratch);
        fields(writer, std::as_const(full));
        return writer.ok() ? writer.size() : scratch.size() + 1;
    }();
    if (out.size() < largest) {
        ByteWriter writer(out);  // a short out: every field checked
        fields(writer, status);
        if (!writer.ok()) return std::nullopt;
        return writer.size();
    }
    detail::UncheckedByteWriter writer(out.data());
    fields(writer, status);
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
