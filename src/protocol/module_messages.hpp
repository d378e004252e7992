// penlink wire protocol: the module messages (docs/protocol.md section 13) and their limits.
// Part of messages.hpp, which includes it and puts them in the Message variant; kept apart
// because a module's parameters and telemetry are a subject of their own. Plain,
// trivially copyable structs: no heap on the status path.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace penlink::protocol {

// ---- modules (docs/protocol.md section 13) -----------------------------------------------
inline constexpr std::size_t kMaxModules = 8;             // entries in one Modules reply
inline constexpr std::size_t kMaxParamsPerMessage = 16;   // SetParams, GetParams, Params
inline constexpr std::size_t kMaxTelemetryValues = 16;    // telemetry values in one Status
inline constexpr std::size_t kMaxDescriptorChunk = 192;   // bytes in one DescriptorChunk
inline constexpr std::size_t kMaxDescriptorSize = 16384;  // bytes in a whole descriptor
/// Parameter ids from this value up are the vendor's; below it, ids of standard profiles.
inline constexpr std::uint16_t kFirstVendorParamId = 0x8000;
/// Telemetry channel ids from this value up are the vendor's.
inline constexpr std::uint8_t kFirstVendorChannelId = 0x80;

// ---- requests ---------------------------------------------------------------------------

struct GetModules {
    bool operator==(const GetModules&) const = default;
};
struct ReadDescriptor {
    std::uint8_t slot = 0;
    std::uint16_t offset = 0;  // byte offset into the descriptor
    std::uint8_t length = 0;   // bytes wanted, 1..kMaxDescriptorChunk
    bool operator==(const ReadDescriptor&) const = default;
};
/// One parameter's raw value: the value in the descriptor's unit is raw * scale.
struct ParamValue {
    std::uint16_t id = 0;
    std::int32_t raw = 0;
    bool operator==(const ParamValue&) const = default;
};
/// Sets count parameters of the module in slot, all or none.
struct SetParams {
    std::uint8_t slot = 0;
    std::uint8_t count = 0;
    std::array<ParamValue, kMaxParamsPerMessage> params{};
    bool operator==(const SetParams&) const = default;
};
struct GetParams {
    std::uint8_t slot = 0;
    std::uint8_t count = 0;  // 0 = every readable parameter
    std::array<std::uint16_t, kMaxParamsPerMessage> ids{};
    bool operator==(const GetParams&) const = default;
};

// ---- replies and what Status carries ------------------------------------------------------

/// One module telemetry reading carried in a Status: value in the channel's unit = raw * scale.
struct TelemetryValue {
    std::uint8_t slot = 0;
    std::uint8_t channel = 0;
    std::int32_t raw = 0;
    bool operator==(const TelemetryValue&) const = default;
};

/// What a pen reports of one fitted module (GetModules).
struct ModuleEntry {
    std::uint8_t slot = 0;
    std::uint16_t vendor_id = 0;
    std::uint16_t model_id = 0;
    std::uint8_t fw_major = 0, fw_minor = 0, fw_patch = 0;
    std::uint16_t descriptor_size = 0;  // 0 = the pen does not store it (partner directory)
    std::uint32_t descriptor_crc = 0;   // CRC-32 of the descriptor's bytes
    bool operator==(const ModuleEntry&) const = default;
};
struct Modules {
    std::uint8_t count = 0;
    std::array<ModuleEntry, kMaxModules> modules{};
    bool operator==(const Modules&) const = default;
};
struct DescriptorChunk {
    std::uint8_t slot = 0;
    std::uint16_t offset = 0;
    std::uint16_t total_size = 0;  // the whole descriptor's size
    std::uint8_t length = 0;       // bytes used in bytes
    std::array<std::uint8_t, kMaxDescriptorChunk> bytes{};
    bool operator==(const DescriptorChunk&) const = default;
};
struct Params {
    std::uint8_t slot = 0;
    std::uint8_t count = 0;
    std::array<ParamValue, kMaxParamsPerMessage> params{};
    bool operator==(const Params&) const = default;
};

}  // namespace penlink::protocol
