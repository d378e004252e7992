// Internal to src/protocol: each message's wire layout, written down once as a list of fields
// and run through ByteWriter (encode), UncheckedByteWriter (the status stream) or ByteReader
// (decode). The field order here IS the wire layout of docs/protocol.md.
#pragma once

#include <algorithm>
#include <cstddef>
#include <type_traits>

#include "protocol/messages.hpp"

namespace penlink::protocol::detail {

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

}  // namespace penlink::protocol::detail
