// penlink wire protocol v2: the messages, as plain structs, and their payload codecs.
//
// This file is the C++ mirror of docs/protocol.md; the document is normative. Every integer
// on the wire is little-endian, and every field's unit is in its name (um = micrometre,
// chz = centi-hertz, mw = milliwatt, ...). Pure code: no I/O, no threads, no heap on the
// status path (Status and Event are trivially copyable).
#pragma once
// Every struct compares with == (memberwise) so tests and callers can compare decoded messages.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>

#include "protocol/module_messages.hpp"

namespace penlink::protocol {

inline constexpr std::uint8_t kProtocolVersion = 2;
/// Hello, HelloReply and the Nack answering Hello always travel in version-1 frames, so any host
/// can negotiate with any pen (docs/protocol.md section 4).
inline constexpr std::uint8_t kHandshakeFrameVersion = 1;

/// A host sends no request kMaxInFlight or more sequence numbers ahead of its oldest outstanding
/// one (EmergencyStop excepted). The pen's reply cache is twice as large, so any request a
/// conforming host can still resend is either in the cache (applied) or was never seen.
inline constexpr std::size_t kMaxInFlight = 16;
inline constexpr std::size_t kReplyCacheSize = 32;

enum class MessageType : std::uint8_t {
    // host -> pen requests (each answered by Ack, Nack, or the reply named)
    Hello = 0x01,    // -> HelloReply
    GetInfo = 0x02,  // -> Info
    SetDepth = 0x03,
    SetSpeed = 0x04,
    Start = 0x05,
    Stop = 0x06,
    SetRf = 0x07,
    SetLed = 0x08,
    Heartbeat = 0x09,
    EmergencyStop = 0x0A,
    ClearEmergencyStop = 0x0B,
    SubscribeStatus = 0x0C,
    ClearFaults = 0x0D,
    EndSession = 0x0E,      // v2: everything off, streaming off, session over
    SetDepthLimit = 0x0F,   // v2: the session's depth ceiling
    GetSettings = 0x10,     // v2: -> Settings
    GetModules = 0x11,      // modules: -> Modules
    ReadDescriptor = 0x12,  // modules: -> DescriptorChunk
    SetParams = 0x13,       // modules: atomic multi-parameter set -> Ack or Nack
    GetParams = 0x14,       // modules: -> Params
    Authenticate = 0x15,    // auth: the host's proof -> sealed Ack, or Nack AuthenticationFailed
    ChangeKey = 0x16,       // auth: installs a new pen key (sealed only)
    // pen -> host
    Ack = 0x80,
    Nack = 0x81,
    HelloReply = 0x82,
    Info = 0x83,
    Status = 0x84,           // unsolicited, at the subscribed rate
    Event = 0x85,            // unsolicited
    Settings = 0x86,         // v2: the pen's current set points
    Modules = 0x87,          // modules: the fitted modules
    DescriptorChunk = 0x88,  // modules: a piece of one module's descriptor
    Params = 0x89,           // modules: parameter values
};

/// Message types reserved for vendor extensions (docs/protocol.md section 13.12): a pen answers a
/// request it does not know in this range with Nack NotSupported, a host ignores pen frames in it.
inline constexpr std::uint8_t kVendorRequestFirst = 0x60, kVendorRequestLast = 0x7F;
inline constexpr std::uint8_t kVendorReplyFirst = 0xE0, kVendorReplyLast = 0xFF;

/// Why a pen refused a request (Nack.reason). Values are fixed forever.
enum class NackReason : std::uint8_t {
    OutOfRange = 1,        // a field is outside the pen's range; Nack carries value and limit
    Busy = 2,              // the pen cannot do this now (e.g. set depth while the actuator homes)
    FaultActive = 3,       // a fault is latched; clear it first
    EmergencyStopped = 4,  // e-stop is latched; only ClearEmergencyStop is accepted
    NotSupported = 5,      // message or add-on not fitted/known
    Malformed = 6,         // payload length or content invalid
    BadState = 7,          // e.g. Start without a cartridge
    VersionMismatch = 8,   // Hello with no common version
    // v2
    CartridgeMissing = 9,     // Start with no cartridge fitted
    CartridgeExhausted = 10,  // Start with a used-up cartridge; value = strokes, limit = limit
    Superseded = 11,          // a newer request of its kind (or a Stop) came first; not applied
    NoSession = 12,           // no session (pen restarted or session ended): send Hello
    InterlockActive = 13,     // a module interlock forbids it now; limit = interlock index
    // authenticated sessions (section 16)
    AuthenticationFailed = 14,    // Authenticate's proof or ChangeKey's wrapped key is wrong
    AuthenticationRequired = 15,  // the pen requires an authenticated session for this request
    InUse = 16,                   // Hello on a second link while another host holds a session
};

/// What Nack.limit is (v2): without it a bound, a grid step and a bit mask look alike.
enum class LimitKind : std::uint8_t {
    None = 0,            // limit carries nothing
    Minimum = 1,         // value is below limit
    Maximum = 2,         // value is above limit
    Step = 3,            // value is off the grid of limit (from the range's minimum)
    AllowedMask = 4,     // limit is a bit mask of the allowed enum values
    SessionMaximum = 5,  // value is above the session's depth limit (SetDepthLimit)
    FaultBits = 6,       // value holds the latched fault bits
    Interlock = 7,       // limit is the index of the module interlock that refused (modules)
};

/// Which request field a Nack names (Nack.field).
enum class Field : std::uint8_t {
    None = 0,
    Depth = 1,
    Speed = 2,
    RfFrequency = 3,
    RfPower = 4,
    RfPulse = 5,
    LedWavelength = 6,
    LedIrradiance = 7,
    LedPulseRate = 8,
    LedDuty = 9,
    StatusRate = 10,
    RfPolarity = 11,
    LedMode = 12,
    DepthLimit = 13,  // v2: SetDepthLimit.depth_limit_um
    Parameter = 14,   // modules: the module parameter Nack.slot / Nack.param_id
};

enum class PenState : std::uint8_t {
    Idle = 0,
    Running = 1,
    Paused = 2,
    Fault = 3,
    EmergencyStopped = 4
};
enum class RfPolarity : std::uint8_t { Monopolar = 0, Bipolar = 1 };
enum class LedMode : std::uint8_t { Continuous = 0, Pulsed = 1 };

enum class EventKind : std::uint8_t {
    FaultRaised = 1,        // detail = fault bit index
    FaultCleared = 2,       // detail = fault bit index
    CartridgeInserted = 3,  // detail = cartridge id
    CartridgeRemoved = 4,   // detail = cartridge id
    ButtonPressed = 5,      // detail = button index
    WatchdogExpired = 6,    // detail = watchdog period in ms
    EmergencyStopped = 7,   // detail = 0
    EmergencyCleared = 8,   // detail = 0
    ModuleAttached = 9,     // detail = slot (modules)
    ModuleDetached = 10,    // detail = slot (modules)
    SecurityRejected = 11,  // detail = frames the pen rejected in this session (section 16.6)
};

/// Whether a pen drives for unauthenticated hosts (HelloReply.auth_mode, section 16).
enum class AuthMode : std::uint8_t {
    Open = 0,      // every host may drive it; a host holding the key may still authenticate
    Required = 1,  // only an authenticated session drives it; others get the safing requests
};

/// Bit indices of Status.fault_bits.
enum FaultBit : std::uint32_t {
    kFaultOverTemperature = 0,
    kFaultBatteryCritical = 1,
    kFaultCartridgeExhausted = 2,
    kFaultCartridgeMissing = 3,
    kFaultMotorStall = 4,
    kFaultRfImpedance = 5,
    kFaultWatchdog = 6,
    kFaultEmergencyStop = 7,
    kFaultInjected = 8,
    kFaultDepthActuator = 9,
};

/// Bits of Info.addons.
inline constexpr std::uint8_t kAddonRf = 0x01;
inline constexpr std::uint8_t kAddonLed = 0x02;

inline constexpr std::size_t kMaxLedChannels = 4;
inline constexpr std::size_t kMaxStringLength = 32;

// ---- requests ---------------------------------------------------------------------------

inline constexpr std::size_t kNonceSize = 16;
inline constexpr std::size_t kKeyIdSize = 8;
inline constexpr std::size_t kProofSize = 32;
inline constexpr std::size_t kWrappedKeySize = 40;
using Nonce = std::array<std::uint8_t, kNonceSize>;
using KeyId = std::array<std::uint8_t, kKeyIdSize>;
using Proof = std::array<std::uint8_t, kProofSize>;

struct Hello {
    std::uint8_t min_version = kProtocolVersion;
    std::uint8_t max_version = kProtocolVersion;
    Nonce host_nonce{};  // auth: all zero = the host does not authenticate (optional tail)
    bool operator==(const Hello&) const = default;
};
struct GetInfo {
    bool operator==(const GetInfo&) const = default;
};
struct SetDepth {
    std::uint16_t depth_um = 0;
    bool operator==(const SetDepth&) const = default;
};
struct SetSpeed {
    std::uint16_t speed_chz = 0;
    bool operator==(const SetSpeed&) const = default;
};
struct Start {
    bool operator==(const Start&) const = default;
};
struct Stop {
    bool operator==(const Stop&) const = default;
};
struct SetRf {
    bool enabled = false;
    RfPolarity polarity = RfPolarity::Bipolar;
    std::uint16_t frequency_khz = 0;
    std::uint32_t power_mw = 0;
    std::uint16_t pulse_ms = 0;
    bool operator==(const SetRf&) const = default;
};
struct SetLed {
    bool enabled = false;
    std::uint16_t wavelength_nm = 0;
    std::uint16_t irradiance_dmw_cm2 = 0;  // deci-mW/cm2 (0.1 mW/cm2)
    LedMode mode = LedMode::Continuous;
    std::uint32_t pulse_rate_chz = 0;  // pulsed mode only
    std::uint16_t duty_permille = 0;   // pulsed mode only, 1..1000
    bool operator==(const SetLed&) const = default;
};
struct Heartbeat {
    bool operator==(const Heartbeat&) const = default;
};
struct EmergencyStop {
    bool operator==(const EmergencyStop&) const = default;
};
struct ClearEmergencyStop {
    bool operator==(const ClearEmergencyStop&) const = default;
};
struct SubscribeStatus {
    std::uint16_t rate_hz = 0;  // 0 = stop streaming
    bool operator==(const SubscribeStatus&) const = default;
};
struct ClearFaults {
    bool operator==(const ClearFaults&) const = default;
};
struct EndSession {
    bool operator==(const EndSession&) const = default;
};
struct SetDepthLimit {
    std::uint16_t depth_limit_um = 0;
    bool operator==(const SetDepthLimit&) const = default;
};
struct GetSettings {
    bool operator==(const GetSettings&) const = default;
};
/// auth: the host's proof that it holds the pen's key (section 16.3).
struct Authenticate {
    Proof host_proof{};
    bool operator==(const Authenticate&) const = default;
};
/// auth: a new pen key, AES-256 key-wrapped under the session's wrap key (section 16.7).
struct ChangeKey {
    std::array<std::uint8_t, kWrappedKeySize> wrapped_key{};
    bool operator==(const ChangeKey&) const = default;
};
// ---- replies and unsolicited ------------------------------------------------------------

struct Ack {
    MessageType request = MessageType::Heartbeat;
    bool operator==(const Ack&) const = default;
};
struct Nack {
    MessageType request = MessageType::Heartbeat;
    NackReason reason = NackReason::Malformed;
    Field field = Field::None;
    std::int32_t value = 0;                  // offending value, in the field's wire unit
    std::int32_t limit = 0;                  // the limit it broke, same unit
    LimitKind limit_kind = LimitKind::None;  // v2: what limit is
    std::uint8_t slot = 0;                   // modules: field Parameter: the module's slot
    std::uint16_t param_id = 0;              // modules: field Parameter: the parameter's id
    bool operator==(const Nack&) const = default;
};
struct HelloReply {
    std::uint8_t version = kProtocolVersion;
    std::uint32_t boot_id = 0;     // v2: random, non-zero, new at every power-on
    std::uint32_t session_id = 0;  // v2: random, non-zero, new at every accepted Hello
    // auth (section 16.2), an optional tail: a pen without it is an Open pen with no key
    AuthMode auth_mode = AuthMode::Open;
    KeyId key_id{};      // names the pen's key; all zero = the pen has no key
    Nonce pen_nonce{};   // all zero when the pen does not authenticate
    Proof pen_proof{};   // the pen's proof; all zero when it does not authenticate
    std::string serial;  // the pen's serial number: which key the host uses
    bool operator==(const HelloReply&) const = default;
};

struct LedChannelInfo {
    std::uint16_t wavelength_nm = 0;
    std::uint16_t max_irradiance_dmw_cm2 = 0;
    bool operator==(const LedChannelInfo&) const = default;
};

struct Info {
    std::string model;   // UTF-8, at most kMaxStringLength bytes
    std::string serial;  // UTF-8, at most kMaxStringLength bytes
    std::uint8_t fw_major = 0, fw_minor = 0, fw_patch = 0;
    std::uint16_t depth_min_um = 0, depth_max_um = 0, depth_step_um = 0;
    std::uint16_t speed_min_chz = 0, speed_max_chz = 0;
    std::uint16_t watchdog_ms = 0;
    std::uint16_t max_status_rate_hz = 0;
    std::uint8_t addons = 0;  // kAddonRf | kAddonLed
    // RF add-on ranges (meaningful when addons & kAddonRf)
    std::uint16_t rf_frequency_min_khz = 0, rf_frequency_max_khz = 0;
    std::uint32_t rf_power_max_mw = 0;
    std::uint16_t rf_pulse_min_ms = 0, rf_pulse_max_ms = 0;
    std::uint8_t rf_polarities = 0;  // bit 0 monopolar, bit 1 bipolar
    // LED add-on ranges (meaningful when addons & kAddonLed)
    std::uint8_t led_channel_count = 0;
    std::array<LedChannelInfo, kMaxLedChannels> led_channels{};
    std::uint32_t led_pulse_rate_min_chz = 0, led_pulse_rate_max_chz = 0;
    bool operator==(const Info&) const = default;
};

struct Status {
    std::uint32_t status_seq = 0;    // +1 per status frame sent; gaps = drops
    std::uint32_t timestamp_ms = 0;  // device uptime
    PenState state = PenState::Idle;
    std::uint16_t depth_set_um = 0, depth_actual_um = 0;
    std::uint16_t speed_set_chz = 0, speed_actual_chz = 0;
    std::uint8_t battery_pct = 0;
    std::int16_t temperature_cdeg = 0;  // centi-degrees Celsius
    std::uint32_t cartridge_id = 0;     // 0 = no cartridge
    std::uint32_t cartridge_strokes = 0;
    std::uint32_t cartridge_stroke_limit = 0;
    std::uint8_t rf_flags = 0;  // bit 0 enabled, bit 1 delivering
    std::uint16_t rf_impedance_ohm = 0;
    std::uint32_t rf_energy_mj = 0;  // delivered since power-on
    std::uint8_t led_flags = 0;      // bit 0 enabled, bit 1 emitting
    std::uint16_t led_wavelength_nm = 0;
    std::uint32_t led_dose_uj_cm2 = 0;  // micro-J/cm2, delivered since power-on
    std::uint32_t fault_bits = 0;       // see FaultBit
    std::uint32_t session_id = 0;       // v2: the session it belongs to; 0 = none
    std::uint16_t depth_limit_um = 0;   // v2: the session's depth limit
    std::uint8_t telemetry_count = 0;   // modules: entries used in telemetry
    std::array<TelemetryValue, kMaxTelemetryValues> telemetry{};
    bool operator==(const Status&) const = default;
};

struct Event {
    EventKind kind = EventKind::ButtonPressed;
    std::uint32_t detail = 0;
    std::uint32_t timestamp_ms = 0;
    bool operator==(const Event&) const = default;
};

/// The pen's current set points (v2), answering GetSettings: what a host reads back when an
/// outcome is unknown (a timeout) or after a reconnect.
struct Settings {
    std::uint32_t session_id = 0;
    PenState state = PenState::Idle;
    std::uint16_t depth_set_um = 0;
    std::uint16_t depth_limit_um = 0;
    std::uint16_t speed_set_chz = 0;
    bool running = false;
    SetRf rf{};    // same layout as the SetRf payload
    SetLed led{};  // same layout as the SetLed payload
    std::uint16_t status_rate_hz = 0;
    std::uint32_t fault_bits = 0;
    bool operator==(const Settings&) const = default;
};

using Message =
    std::variant<Hello, GetInfo, SetDepth, SetSpeed, Start, Stop, SetRf, SetLed, Heartbeat,
                 EmergencyStop, ClearEmergencyStop, SubscribeStatus, ClearFaults, EndSession,
                 SetDepthLimit, GetSettings, GetModules, ReadDescriptor, SetParams, GetParams,
                 Authenticate, ChangeKey, Ack, Nack, HelloReply, Info, Status, Event, Settings,
                 Modules, DescriptorChunk, Params>;

/// The type byte of a message.
MessageType type_of(const Message& message);

/// Human-readable name, e.g. "SetDepth". Never null.
const char* to_string(MessageType type);
const char* to_string(NackReason reason);
const char* to_string(Field field);
const char* to_string(LimitKind kind);

/// True for messages a host sends (requests).
bool is_request(MessageType type);

/// The version byte a frame carrying this message uses: 1 for the handshake (Hello,
/// HelloReply, a Nack answering Hello), kProtocolVersion otherwise.
std::uint8_t frame_version_for(const Message& message);

// ---- ordering (v2, docs/protocol.md section 5) -------------------------------------------

/// Requests that supersede each other: a request is not applied after a newer one of its group.
enum class RequestGroup : std::uint8_t {
    None = 0,  // never superseded (Hello, GetInfo, GetSettings, Heartbeat, EndSession)
    Depth,     // SetDepth, SetDepthLimit
    Speed,
    Motor,  // Start, Stop
    Rf,
    Led,
    StatusRate,
    EmergencyStop,  // EmergencyStop, ClearEmergencyStop
    Faults,
    Params,  // SetParams (modules)
};
inline constexpr std::size_t kRequestGroupCount = 10;
RequestGroup group_of(MessageType type);

/// True for requests that can only make the pen safer (Stop, EmergencyStop, EndSession, RF or
/// LED off): a pen applies them in every state and never treats them as superseded.
bool is_safing_request(const Message& request);

/// True if a (a u16 sequence number) is newer than b in RFC 1982 serial-number arithmetic.
constexpr bool seq_newer(std::uint16_t a, std::uint16_t b) {
    const auto diff = static_cast<std::uint16_t>(a - b);
    return diff != 0 && diff < 0x8000;
}
/// The same for u32 counters (Status.status_seq).
constexpr bool seq_newer(std::uint32_t a, std::uint32_t b) {
    const std::uint32_t diff = a - b;
    return diff != 0 && diff < 0x80000000u;
}

/// Encodes a message's payload (without frame header) into out.
/// Returns the number of bytes written, or nullopt if out is too small.
std::optional<std::size_t> encode_payload(const Message& message, std::span<std::uint8_t> out);

/// encode_payload for a Status without building a Message (the status stream's path): the same
/// bytes. nullopt if out is too small or telemetry_count exceeds kMaxTelemetryValues.
std::optional<std::size_t> encode_status_payload(const Status& status, std::span<std::uint8_t> out);

/// Decodes a payload of the given type. Returns nullopt if the type is unknown, the payload
/// is shorter than the type's fields, or an enum/string field is invalid. Bytes past the known
/// fields are ignored, so later revisions of v1 can append fields.
std::optional<Message> decode_payload(MessageType type, std::span<const std::uint8_t> payload);

/// The same decoding straight into out (no temporary Message to move): true where the other
/// returns a message, which out then holds. On false out holds some message of no meaning.
bool decode_payload(MessageType type, std::span<const std::uint8_t> payload, Message& out);

}  // namespace penlink::protocol
