// Names and classification of protocol v2 messages (the payload codecs live in
// payload_codec.cpp).
#include "protocol/messages.hpp"

#include <array>
#include <variant>

namespace penlink::protocol {
namespace {

// The type byte of each Message alternative, in the variant's declaration order.
constexpr std::array<MessageType, 32> kTypeByIndex{
    MessageType::Hello,
    MessageType::GetInfo,
    MessageType::SetDepth,
    MessageType::SetSpeed,
    MessageType::Start,
    MessageType::Stop,
    MessageType::SetRf,
    MessageType::SetLed,
    MessageType::Heartbeat,
    MessageType::EmergencyStop,
    MessageType::ClearEmergencyStop,
    MessageType::SubscribeStatus,
    MessageType::ClearFaults,
    MessageType::EndSession,
    MessageType::SetDepthLimit,
    MessageType::GetSettings,
    MessageType::GetModules,
    MessageType::ReadDescriptor,
    MessageType::SetParams,
    MessageType::GetParams,
    MessageType::Authenticate,
    MessageType::ChangeKey,
    MessageType::Ack,
    MessageType::Nack,
    MessageType::HelloReply,
    MessageType::Info,
    MessageType::Status,
    MessageType::Event,
    MessageType::Settings,
    MessageType::Modules,
    MessageType::DescriptorChunk,
    MessageType::Params,
};
static_assert(kTypeByIndex.size() == std::variant_size_v<Message>,
              "every Message alternative needs a type byte");

}  // namespace

MessageType type_of(const Message& message) { return kTypeByIndex[message.index()]; }

const char* to_string(MessageType type) {
    switch (type) {
        case MessageType::Hello:
            return "Hello";
        case MessageType::GetInfo:
            return "GetInfo";
        case MessageType::SetDepth:
            return "SetDepth";
        case MessageType::SetSpeed:
            return "SetSpeed";
        case MessageType::Start:
            return "Start";
        case MessageType::Stop:
            return "Stop";
        case MessageType::SetRf:
            return "SetRf";
        case MessageType::SetLed:
            return "SetLed";
        case MessageType::Heartbeat:
            return "Heartbeat";
        case MessageType::EmergencyStop:
            return "EmergencyStop";
        case MessageType::ClearEmergencyStop:
            return "ClearEmergencyStop";
        case MessageType::SubscribeStatus:
            return "SubscribeStatus";
        case MessageType::ClearFaults:
            return "ClearFaults";
        case MessageType::EndSession:
            return "EndSession";
        case MessageType::SetDepthLimit:
            return "SetDepthLimit";
        case MessageType::GetSettings:
            return "GetSettings";
        case MessageType::GetModules:
            return "GetModules";
        case MessageType::ReadDescriptor:
            return "ReadDescriptor";
        case MessageType::SetParams:
            return "SetParams";
        case MessageType::GetParams:
            return "GetParams";
        case MessageType::Authenticate:
            return "Authenticate";
        case MessageType::ChangeKey:
            return "ChangeKey";
        case MessageType::Ack:
            return "Ack";
        case MessageType::Nack:
            return "Nack";
        case MessageType::HelloReply:
            return "HelloReply";
        case MessageType::Info:
            return "Info";
        case MessageType::Status:
            return "Status";
        case MessageType::Event:
            return "Event";
        case MessageType::Settings:
            return "Settings";
        case MessageType::Modules:
            return "Modules";
        case MessageType::DescriptorChunk:
            return "DescriptorChunk";
        case MessageType::Params:
            return "Params";
    }
    return "Unknown";
}

const char* to_string(NackReason reason) {
    switch (reason) {
        case NackReason::OutOfRange:
            return "OutOfRange";
        case NackReason::Busy:
            return "Busy";
        case NackReason::FaultActive:
            return "FaultActive";
        case NackReason::EmergencyStopped:
            return "EmergencyStopped";
        case NackReason::NotSupported:
            return "NotSupported";
        case NackReason::Malformed:
            return "Malformed";
        case NackReason::BadState:
            return "BadState";
        case NackReason::VersionMismatch:
            return "VersionMismatch";
        case NackReason::CartridgeMissing:
            return "CartridgeMissing";
        case NackReason::CartridgeExhausted:
            return "CartridgeExhausted";
        case NackReason::Superseded:
            return "Superseded";
        case NackReason::NoSession:
            return "NoSession";
        case NackReason::InterlockActive:
            return "InterlockActive";
        case NackReason::AuthenticationFailed:
            return "AuthenticationFailed";
        case NackReason::AuthenticationRequired:
            return "AuthenticationRequired";
        case NackReason::InUse:
            return "InUse";
    }
    return "Unknown";
}

const char* to_string(Field field) {
    switch (field) {
        case Field::None:
            return "None";
        case Field::Depth:
            return "Depth";
        case Field::Speed:
            return "Speed";
        case Field::RfFrequency:
            return "RfFrequency";
        case Field::RfPower:
            return "RfPower";
        case Field::RfPulse:
            return "RfPulse";
        case Field::LedWavelength:
            return "LedWavelength";
        case Field::LedIrradiance:
            return "LedIrradiance";
        case Field::LedPulseRate:
            return "LedPulseRate";
        case Field::LedDuty:
            return "LedDuty";
        case Field::StatusRate:
            return "StatusRate";
        case Field::RfPolarity:
            return "RfPolarity";
        case Field::LedMode:
            return "LedMode";
        case Field::DepthLimit:
            return "DepthLimit";
        case Field::Parameter:
            return "Parameter";
    }
    return "Unknown";
}

const char* to_string(LimitKind kind) {
    switch (kind) {
        case LimitKind::None:
            return "None";
        case LimitKind::Minimum:
            return "Minimum";
        case LimitKind::Maximum:
            return "Maximum";
        case LimitKind::Step:
            return "Step";
        case LimitKind::AllowedMask:
            return "AllowedMask";
        case LimitKind::SessionMaximum:
            return "SessionMaximum";
        case LimitKind::FaultBits:
            return "FaultBits";
        case LimitKind::Interlock:
            return "Interlock";
    }
    return "Unknown";
}

bool is_request(MessageType type) {
    const auto raw = static_cast<std::uint8_t>(type);
    return raw >= static_cast<std::uint8_t>(MessageType::Hello) &&
           raw <= static_cast<std::uint8_t>(MessageType::ChangeKey);
}

std::uint8_t frame_version_for(const Message& message) {
    if (std::holds_alternative<Hello>(message) || std::holds_alternative<HelloReply>(message))
        return kHandshakeFrameVersion;
    if (const auto* nack = std::get_if<Nack>(&message); nack && nack->request == MessageType::Hello)
        return kHandshakeFrameVersion;
    return kProtocolVersion;
}

RequestGroup group_of(MessageType type) {
    switch (type) {
        case MessageType::SetDepth:
        case MessageType::SetDepthLimit:
            return RequestGroup::Depth;
        case MessageType::SetSpeed:
            return RequestGroup::Speed;
        case MessageType::Start:
        case MessageType::Stop:
            return RequestGroup::Motor;
        case MessageType::SetRf:
            return RequestGroup::Rf;
        case MessageType::SetLed:
            return RequestGroup::Led;
        case MessageType::SubscribeStatus:
            return RequestGroup::StatusRate;
        case MessageType::EmergencyStop:
        case MessageType::ClearEmergencyStop:
            return RequestGroup::EmergencyStop;
        case MessageType::ClearFaults:
            return RequestGroup::Faults;
        case MessageType::SetParams:
            return RequestGroup::Params;
        default:
            return RequestGroup::None;
    }
}

bool is_safing_request(const Message& request) {
    if (std::holds_alternative<Stop>(request) || std::holds_alternative<EmergencyStop>(request) ||
        std::holds_alternative<EndSession>(request))
        return true;
    if (const auto* rf = std::get_if<SetRf>(&request)) return !rf->enabled;
    if (const auto* led = std::get_if<SetLed>(&request)) return !led->enabled;
    return false;
}

}  // namespace penlink::protocol
