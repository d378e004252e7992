// Names and classification of protocol v1 messages (the payload codecs live in
// payload_codec.cpp).
#include "protocol/messages.hpp"

#include <array>
#include <variant>

namespace penlink::protocol {
namespace {

// The type byte of each Message alternative, in the variant's declaration order.
constexpr std::array<MessageType, 19> kTypeByIndex{
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
    MessageType::Ack,
    MessageType::Nack,
    MessageType::HelloReply,
    MessageType::Info,
    MessageType::Status,
    MessageType::Event,
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
    }
    return "Unknown";
}

bool is_request(MessageType type) {
    const auto raw = static_cast<std::uint8_t>(type);
    return raw >= static_cast<std::uint8_t>(MessageType::Hello) &&
           raw <= static_cast<std::uint8_t>(MessageType::ClearFaults);
}

}  // namespace penlink::protocol
