#include "core/nack.hpp"

#include <string>

#include "core/limits.hpp"
#include "penlink/types.hpp"

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
        case Field::DepthLimit:
            return {"depth limit", "mm", 0.001};
        case Field::Parameter:  // named from the module's descriptor (core/module_nack.cpp)
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
        case NackReason::NoSession:
            return ErrorCode::ConnectionLost;
        case NackReason::AuthenticationFailed:
            return ErrorCode::KeyRejected;
        case NackReason::AuthenticationRequired:
            return ErrorCode::AuthenticationRequired;
        case NackReason::InUse:
            return ErrorCode::ConnectionFailed;
        case NackReason::Busy:
        case NackReason::BadState:
        case NackReason::VersionMismatch:
        case NackReason::CartridgeMissing:
        case NackReason::CartridgeExhausted:
        case NackReason::Superseded:
        case NackReason::InterlockActive:
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
        case NackReason::CartridgeMissing:
            return "no cartridge is fitted; fit a fresh cartridge";
        case NackReason::CartridgeExhausted:
            return "the cartridge is used up; fit a fresh cartridge";
        case NackReason::Superseded:
            return "a newer command of its kind (or a stop) reached the pen first, so it was not "
                   "applied";
        case NackReason::NoSession:
            return "the pen has no session with this host (it restarted or the session ended)";
        case NackReason::InterlockActive:
            return "a module interlock forbids it now";
        case NackReason::AuthenticationFailed:
            return "the pen did not accept penlink's proof: the key given for it is not its key";
        case NackReason::AuthenticationRequired:
            return "the pen requires an authenticated session for this; give penlink the pen's "
                   "key (ConnectOptions keys or a key file)";
        case NackReason::InUse:
            return "the pen is in use: another host holds its session";
    }
    return "refused";
}

std::string rf_polarities(std::int32_t mask) {
    std::string names;
    if (mask & 1) names = "monopolar";
    if (mask & 2) names += names.empty() ? "bipolar" : " and bipolar";
    return names.empty() ? "none" : names;
}

// "depth 3.50 mm exceeds the pen's maximum of 3.00 mm", "... is not on the pen's 0.05 mm grid".
std::string describe_out_of_range(const protocol::Nack& nack, Result& result) {
    using protocol::LimitKind;
    const FieldUnits units = units_of(nack.field);
    result.value = nack.value * units.per_wire_unit;
    result.limit = nack.limit * units.per_wire_unit;
    result.unit = units.unit;
    const bool depth =
        nack.field == protocol::Field::Depth || nack.field == protocol::Field::DepthLimit;
    const auto show = [&](double v) {
        const std::string number = depth ? format_fixed(v, 2) : format_number(v);
        return *units.unit ? number + " " + units.unit : number;
    };
    const std::string what = std::string(units.name) + " " + show(result.value);
    if (nack.field == protocol::Field::RfPolarity) {
        return std::string("RF polarity ") +
               (nack.value == 0   ? "monopolar"
                : nack.value == 1 ? "bipolar"
                                  : "unknown") +
               " is not fitted (the pen has " + rf_polarities(nack.limit) + ")";
    }
    switch (nack.limit_kind) {
        case LimitKind::Minimum:
            return what + " is below the pen's minimum of " + show(result.limit);
        case LimitKind::Maximum:
            return what + " exceeds the pen's maximum of " + show(result.limit);
        case LimitKind::Step:
            return what + " is not on the pen's " + show(result.limit) + " grid";
        case LimitKind::SessionMaximum:
            return what + " exceeds the session depth limit of " + show(result.limit);
        case LimitKind::AllowedMask:
            return what + " is not one of the values the pen allows (mask " +
                   std::to_string(nack.limit) + ")";
        case LimitKind::None:
        case LimitKind::FaultBits:
        case LimitKind::Interlock:
            break;
    }
    return what +
           (result.value > result.limit ? " exceeds the pen's limit of "
                                        : " is outside the pen's limit of ") +
           show(result.limit);
}

}  // namespace

Result result_from_nack(const protocol::Nack& nack) {
    using protocol::NackReason;
    Result result;
    result.code = code_of(nack.reason);
    std::string text = std::string("pen refused ") + protocol::to_string(nack.request) + ": ";
    switch (nack.reason) {
        case NackReason::OutOfRange:
            text += describe_out_of_range(nack, result);
            break;
        case NackReason::FaultActive: {
            const auto bits = static_cast<std::uint32_t>(nack.value);
            text += bits != 0
                        ? "fault latched on the pen (" + describe_faults(bits) + "); clear it first"
                        : explain(nack.reason);
            break;
        }
        case NackReason::CartridgeExhausted:
            text += explain(nack.reason);
            if (nack.limit > 0)
                text += " (" + std::to_string(nack.value) + " of " + std::to_string(nack.limit) +
                        " strokes used)";
            break;
        case NackReason::Superseded:
            text += explain(nack.reason);
            text += " (newer request seq " + std::to_string(nack.value & 0xFFFF) + ")";
            break;
        default:
            text += explain(nack.reason);
            if (nack.field != protocol::Field::None)
                text += std::string(" (") + units_of(nack.field).name + ")";
            break;
    }
    result.message = text;
    return result;
}

}  // namespace penlink::core
