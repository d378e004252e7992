#include "core/nack.hpp"

#include <string>

#include "core/limits.hpp"

namespace penlink::core {
namespace {

struct FieldUnits {
    const char* name;
    const char* unit;
    double per_wire_unit;  // user units per wire unit
};

FieldUnits units_of(protocol::Field field) {
    using protocol::Field;
    switch (field) {
        case Field::Depth:
            return {"depth", "mm", 0.001};
        case Field::Speed:
            return {"speed", "Hz", 0.01};
        case Field::RfFrequency:
            return {"RF frequency", "kHz", 1.0};
        case Field::RfPower:
            return {"RF power", "W", 0.001};
        case Field::RfPulse:
            return {"RF pulse length", "ms", 1.0};
        case Field::LedWavelength:
            return {"LED wavelength", "nm", 1.0};
        case Field::LedIrradiance:
            return {"LED irradiance", "mW/cm2", 0.1};
        case Field::LedPulseRate:
            return {"LED pulse rate", "Hz", 0.01};
        case Field::LedDuty:
            return {"LED duty cycle", "%", 0.1};
        case Field::StatusRate:
            return {"status rate", "Hz", 1.0};
        case Field::RfPolarity:
            return {"RF polarity", "", 1.0};
        case Field::LedMode:
            return {"LED mode", "", 1.0};
        case Field::None:
            break;
    }
    return {"value", "", 1.0};
}

ErrorCode code_of(protocol::NackReason reason) {
    using protocol::NackReason;
    switch (reason) {
        case NackReason::OutOfRange:
            return ErrorCode::OutOfRange;
        case NackReason::FaultActive:
            return ErrorCode::FaultActive;
        case NackReason::EmergencyStopped:
            return ErrorCode::EmergencyStopped;
        case NackReason::NotSupported:
            return ErrorCode::NotSupported;
        case NackReason::Malformed:
            return ErrorCode::Protocol;
        case NackReason::Busy:
        case NackReason::BadState:
        case NackReason::VersionMismatch:
            return ErrorCode::Rejected;
    }
    return ErrorCode::Rejected;
}

const char* explain(protocol::NackReason reason) {
    using protocol::NackReason;
    switch (reason) {
        case NackReason::OutOfRange:
            return "a value is out of range";
        case NackReason::Busy:
            return "the pen is busy";
        case NackReason::FaultActive:
            return "a fault is latched on the pen; clear it first";
        case NackReason::EmergencyStopped:
            return "the emergency stop is latched; clear it first";
        case NackReason::NotSupported:
            return "the pen does not support this";
        case NackReason::Malformed:
            return "the pen could not read the request";
        case NackReason::BadState:
            return "the pen cannot do this in its current state";
        case NackReason::VersionMismatch:
            return "no protocol version in common with the pen";
    }
    return "refused";
}

}  // namespace

Result result_from_nack(const protocol::Nack& nack) {
    Result result;
    result.code = code_of(nack.reason);
    std::string text = std::string("pen refused ") + protocol::to_string(nack.request) + ": ";
    if (nack.reason == protocol::NackReason::OutOfRange) {
        const FieldUnits units = units_of(nack.field);
        result.value = nack.value * units.per_wire_unit;
        result.limit = nack.limit * units.per_wire_unit;
        result.unit = units.unit;
        const bool depth = nack.field == protocol::Field::Depth;
        const auto show = [&](double v) {
            return (depth ? format_fixed(v, 2) : format_number(v)) + " " + units.unit;
        };
        text += std::string(units.name) + " " + show(result.value) +
                (result.value > result.limit ? " exceeds the pen's limit of "
                                             : " is outside the pen's limit of ") +
                show(result.limit);
    } else {
        text += explain(nack.reason);
        if (nack.field != protocol::Field::None)
            text += std::string(" (") + units_of(nack.field).name + ")";
    }
    result.message = text;
    return result;
}

}  // namespace penlink::core
