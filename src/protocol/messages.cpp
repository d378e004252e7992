// Names and classification of protocol v1 messages (the payload codecs live in
// payload_codec.cpp).
#include "protocol/messages.hpp"

#include <type_traits>

namespace penlink::protocol {
namespace {

template <typename M>
constexpr MessageType type_for() {
    if constexpr (std::is_same_v<M, Hello>) return MessageType::Hello;
    else if constexpr (std::is_same_v<M, GetInfo>) return MessageType::GetInfo;
    else if constexpr (std::is_same_v<M, SetDepth>) return MessageType::SetDepth;
    else if constexpr (std::is_same_v<M, SetSpeed>) return MessageType::SetSpeed;
    else if constexpr (std::is_same_v<M, Start>) return MessageType::Start;
    else if constexpr (std::is_same_v<M, Stop>) return MessageType::Stop;
    else if constexpr (std::is_same_v<M, SetRf>) return MessageType::SetRf;
    else if constexpr (std::is_same_v<M, SetLed>) return MessageType::SetLed;
    else if constexpr (std::is_same_v<M, Heartbeat>) return MessageType::Heartbeat;
    else if constexpr (std::is_same_v<M, EmergencyStop>) return MessageType::EmergencyStop;
    else if constexpr (std::is_same_v<M, ClearEmergencyStop>) return MessageType::ClearEmergencyStop;
    else if constexpr (std::is_same_v<M, SubscribeStatus>) return MessageType::SubscribeStatus;
    else if constexpr (std::is_same_v<M, ClearFaults>) return MessageType::ClearFaults;
    else if constexpr (std::is_same_v<M, Ack>) return MessageType::Ack;
    else if constexpr (std::is_same_v<M, Nack>) return MessageType::Nack;
    else if constexpr (std::is_same_v<M, HelloReply>) return MessageType::HelloReply;
    else if constexpr (std::is_same_v<M, Info>) return MessageType::Info;
    else if constexpr (std::is_same_v<M, Status>) return MessageType::Status;
    else {
        static_assert(std::is_same_v<M, Event>, "every Message alternative needs a type byte");
        return MessageType::Event;
    }
}

}  // namespace

MessageType type_of(const Message& message) {
    return std::visit([](const auto& m) { return type_for<std::decay_t<decltype(m)>>(); }, message);
}

const char* to_string(MessageType type) {
    switch (type) {
        case MessageType::Hello: return "Hello";
        case MessageType::GetInfo: return "GetInfo";
        case MessageType::SetDepth: return "SetDepth";
        case MessageType::SetSpeed: return "SetSpeed";
        case MessageType::Start: return "Start";
        case MessageType::Stop: return "Stop";
        case MessageType::SetRf: return "SetRf";
        case MessageType::SetLed: return "SetLed";
        case MessageType::Heartbeat: return "Heartbeat";
        case MessageType::EmergencyStop: return "EmergencyStop";
        case MessageType::ClearEmergencyStop: return "ClearEmergencyStop";
        case MessageType::SubscribeStatus: return "SubscribeStatus";
        case MessageType::ClearFaults: return "ClearFaults";
        case MessageType::Ack: return "Ack";
        case MessageType::Nack: return "Nack";
        case MessageType::HelloReply: return "HelloReply";
        case MessageType::Info: return "Info";
        case MessageType::Status: return "Status";
        case MessageType::Event: return "Event";
    }
    return "Unknown";
}

const char* to_string(NackReason reason) {
    switch (reason) {
        case NackReason::OutOfRange: return "OutOfRange";
        case NackReason::Busy: return "Busy";
        case NackReason::FaultActive: return "FaultActive";
        case NackReason::EmergencyStopped: return "EmergencyStopped";
        case NackReason::NotSupported: return "NotSupported";
        case NackReason::Malformed: return "Malformed";
        case NackReason::BadState: return "BadState";
        case NackReason::VersionMismatch: return "VersionMismatch";
    }
    return "Unknown";
}

const char* to_string(Field field) {
    switch (field) {
        case Field::None: return "None";
        case Field::Depth: return "Depth";
        case Field::Speed: return "Speed";
        case Field::RfFrequency: return "RfFrequency";
        case Field::RfPower: return "RfPower";
        case Field::RfPulse: return "RfPulse";
        case Field::LedWavelength: return "LedWavelength";
        case Field::LedIrradiance: return "LedIrradiance";
        case Field::LedPulseRate: return "LedPulseRate";
        case Field::LedDuty: return "LedDuty";
        case Field::StatusRate: return "StatusRate";
        case Field::RfPolarity: return "RfPolarity";
        case Field::LedMode: return "LedMode";
    }
    return "Unknown";
}

bool is_request(MessageType type) {
    const auto raw = static_cast<std::uint8_t>(type);
    return raw >= static_cast<std::uint8_t>(MessageType::Hello) &&
           raw <= static_cast<std::uint8_t>(MessageType::ClearFaults);
}

}  // namespace penlink::protocol
