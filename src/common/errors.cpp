#include "penlink/errors.hpp"

namespace penlink {

const char* to_string(ErrorCode code) noexcept {
    switch (code) {
        case ErrorCode::Ok:
            return "ok";
        case ErrorCode::InvalidArgument:
            return "invalid argument";
        case ErrorCode::OutOfRange:
            return "out of range";
        case ErrorCode::Timeout:
            return "timed out";
        case ErrorCode::ConnectionFailed:
            return "connection failed";
        case ErrorCode::ConnectionLost:
            return "connection lost";
        case ErrorCode::NotConnected:
            return "not connected";
        case ErrorCode::EmergencyStopped:
            return "emergency stop latched";
        case ErrorCode::FaultActive:
            return "fault active";
        case ErrorCode::NotSupported:
            return "not supported";
        case ErrorCode::Rejected:
            return "rejected by the pen";
        case ErrorCode::Protocol:
            return "protocol error";
        case ErrorCode::Internal:
            return "internal error";
        case ErrorCode::CallbackFailed:
            return "callback failed";
        case ErrorCode::AuthenticationRequired:
            return "authentication required";
        case ErrorCode::KeyRejected:
            return "key rejected";
        case ErrorCode::PenNotAuthentic:
            return "pen not authentic";
    }
    return "unknown error";
}

Error::Error(ErrorCode code, const std::string& message)
    : std::runtime_error(message), code_(code) {}
Error::~Error() = default;

InvalidArgumentError::InvalidArgumentError(const std::string& message)
    : Error(ErrorCode::InvalidArgument, message) {}
InvalidArgumentError::~InvalidArgumentError() = default;

OutOfRangeError::OutOfRangeError(const std::string& message, double value, double limit,
                                 const std::string& unit)
    : Error(ErrorCode::OutOfRange, message), value_(value), limit_(limit), unit_(unit) {}
OutOfRangeError::~OutOfRangeError() = default;

TimeoutError::TimeoutError(const std::string& message) : Error(ErrorCode::Timeout, message) {}
TimeoutError::~TimeoutError() = default;

ConnectionError::ConnectionError(ErrorCode code, const std::string& message)
    : Error(code, message) {}
ConnectionError::~ConnectionError() = default;

SafetyError::SafetyError(ErrorCode code, const std::string& message) : Error(code, message) {}
SafetyError::~SafetyError() = default;

NotSupportedError::NotSupportedError(const std::string& message)
    : Error(ErrorCode::NotSupported, message) {}
NotSupportedError::~NotSupportedError() = default;

AuthenticationError::AuthenticationError(ErrorCode code, const std::string& message)
    : Error(code, message) {}
AuthenticationError::~AuthenticationError() = default;

RejectedError::RejectedError(ErrorCode code, const std::string& message) : Error(code, message) {}
RejectedError::~RejectedError() = default;

void throw_error(ErrorCode code, const std::string& message) {
    switch (code) {
        case ErrorCode::Ok:
            return;
        case ErrorCode::InvalidArgument:
            throw InvalidArgumentError(message);
        case ErrorCode::OutOfRange:
            throw OutOfRangeError(message, 0, 0, "");
        case ErrorCode::Timeout:
            throw TimeoutError(message);
        case ErrorCode::ConnectionFailed:
        case ErrorCode::ConnectionLost:
        case ErrorCode::NotConnected:
            throw ConnectionError(code, message);
        case ErrorCode::EmergencyStopped:
        case ErrorCode::FaultActive:
            throw SafetyError(code, message);
        case ErrorCode::NotSupported:
            throw NotSupportedError(message);
        case ErrorCode::Rejected:
        case ErrorCode::Protocol:
        case ErrorCode::Internal:
        case ErrorCode::CallbackFailed:
            throw RejectedError(code, message);
        case ErrorCode::AuthenticationRequired:
        case ErrorCode::KeyRejected:
        case ErrorCode::PenNotAuthentic:
            throw AuthenticationError(code, message);
    }
    throw RejectedError(ErrorCode::Internal, message);
}

void Result::throw_if_error() const {
    if (code == ErrorCode::OutOfRange) throw OutOfRangeError(message, value, limit, unit);
    throw_error(code, message);
}

Result Result::from(const Error& error) {
    Result result{error.code(), error.what(), 0, 0, {}};
    if (const auto* range = dynamic_cast<const OutOfRangeError*>(&error)) {
        result.value = range->value();
        result.limit = range->limit();
        result.unit = range->unit();
    }
    return result;
}

}  // namespace penlink
