/// @file errors.hpp
/// @brief Typed errors of penlink. Every failure the SDK reports is a penlink::Error with a code
/// from ErrorCode and a message that names the value, the limit and the unit where there is one,
/// e.g. "depth 3.20 mm exceeds the pen's maximum of 3.00 mm".
#pragma once

#include <stdexcept>
#include <string>

#include "penlink/export.h"

namespace penlink {

/// Error codes. The numbers are part of the ABI (the C API returns them) and never change.
enum class ErrorCode : int {
    Ok = 0,
    InvalidArgument = -1,          ///< malformed URL, option or value the SDK cannot interpret
    OutOfRange = -2,               ///< a value outside the pen's (or the user's) limit
    Timeout = -3,                  ///< the pen did not answer in time
    ConnectionFailed = -4,         ///< could not open the port or reach the address
    ConnectionLost = -5,           ///< the link went silent or closed while in use
    NotConnected = -6,             ///< the pen is closed
    EmergencyStopped = -7,         ///< refused: the pen's emergency stop is latched
    FaultActive = -8,              ///< refused: a fault is latched on the pen
    NotSupported = -9,             ///< the pen or its add-ons do not have this capability
    Rejected = -10,                ///< the pen refused for another reason (busy, bad state)
    Protocol = -11,                ///< the pen answered something that breaks the protocol
    Internal = -12,                ///< a bug in penlink; please report it
    CallbackFailed = -13,          ///< a user callback threw or returned an error
    AuthenticationRequired = -14,  ///< the pen (or ConnectOptions) requires authentication and
                                   ///< no key was given for the pen's serial
    KeyRejected = -15,             ///< the key given for the pen is not the pen's key
    PenNotAuthentic = -16,         ///< the pen failed to prove it holds its key (an impostor, or
                                   ///< someone in between)
};

/// Short static description of a code, e.g. "out of range". Never null.
PENLINK_EXPORT const char* to_string(ErrorCode code) noexcept;

/// Base of every exception penlink throws.
class PENLINK_EXPORT Error : public std::runtime_error {
public:
    /// An error with its code and message.
    Error(ErrorCode code, const std::string& message);
    ~Error() override;
    /// The SDK's error code (the same numbers as the C ABI's PL_E...).
    ErrorCode code() const noexcept { return code_; }

private:
    ErrorCode code_;
};

/// Malformed URL, option or argument.
class PENLINK_EXPORT InvalidArgumentError : public Error {
public:
    /// An error with this message.
    explicit InvalidArgumentError(const std::string& message);
    ~InvalidArgumentError() override;
};

/// A value outside a limit. value() and limit() are in unit() (e.g. "mm", "Hz", "W").
class PENLINK_EXPORT OutOfRangeError : public Error {
public:
    /// An error naming value and limit, both in unit.
    OutOfRangeError(const std::string& message, double value, double limit,
                    const std::string& unit);
    ~OutOfRangeError() override;
    /// The refused value, in unit().
    double value() const noexcept { return value_; }
    /// The limit it broke, in unit().
    double limit() const noexcept { return limit_; }
    /// The unit of value() and limit(), e.g. "mm".
    const std::string& unit() const noexcept { return unit_; }

private:
    double value_;
    double limit_;
    std::string unit_;
};

/// The pen did not acknowledge in time (after retries).
class PENLINK_EXPORT TimeoutError : public Error {
public:
    /// An error with this message.
    explicit TimeoutError(const std::string& message);
    ~TimeoutError() override;
};

/// Opening the link failed, or the link is gone (code ConnectionFailed, ConnectionLost or
/// NotConnected).
class PENLINK_EXPORT ConnectionError : public Error {
public:
    /// An error with this message and code.
    ConnectionError(ErrorCode code, const std::string& message);
    ~ConnectionError() override;
};

/// Refused for safety: emergency stop or a fault is latched (code EmergencyStopped or
/// FaultActive).
class PENLINK_EXPORT SafetyError : public Error {
public:
    /// An error with this message and code.
    SafetyError(ErrorCode code, const std::string& message);
    ~SafetyError() override;
};

/// The pen or its add-ons lack the capability.
class PENLINK_EXPORT NotSupportedError : public Error {
public:
    /// An error with this message.
    explicit NotSupportedError(const std::string& message);
    ~NotSupportedError() override;
};

/// An authenticated session could not be set up (code AuthenticationRequired, KeyRejected or
/// PenNotAuthentic). The message names the pen and what to do; it never contains a key.
class PENLINK_EXPORT AuthenticationError : public Error {
public:
    /// An error with code AuthenticationRequired, KeyRejected or PenNotAuthentic.
    AuthenticationError(ErrorCode code, const std::string& message);
    ~AuthenticationError() override;
};

/// Any other refusal by the pen (busy, wrong state) or a protocol breach (code Rejected,
/// Protocol, Internal or CallbackFailed).
class PENLINK_EXPORT RejectedError : public Error {
public:
    /// An error with this message and code.
    RejectedError(ErrorCode code, const std::string& message);
    ~RejectedError() override;
};

/// Throws the exception class that matches code (no-op for ErrorCode::Ok).
PENLINK_EXPORT void throw_error(ErrorCode code, const std::string& message);

/// Outcome of a command: what the pen (or the SDK's own check) said.
struct PENLINK_EXPORT Result {
    ErrorCode code = ErrorCode::Ok;  ///< ErrorCode::Ok, or why the command failed
    std::string message;             ///< the error's message; empty when ok()
    double value = 0;                ///< for OutOfRange: the offending value, in unit
    double limit = 0;                ///< for OutOfRange: the limit it broke, in unit
    std::string unit;                ///< for OutOfRange: e.g. "mm"

    /// True if the pen acknowledged.
    bool ok() const noexcept { return code == ErrorCode::Ok; }
    /// A failed outcome with a message.
    static Result failure(ErrorCode error_code, std::string text) {
        Result result;
        result.code = error_code;
        result.message = std::move(text);
        return result;
    }
    /// Throws the matching exception (OutOfRangeError keeps value, limit and unit) on failure.
    void throw_if_error() const;
    /// The Result describing a caught penlink::Error.
    static Result from(const Error& error);
};

}  // namespace penlink
