/// @file penlink_completion.hpp
/// @brief How an asynchronous command reports back to a host language: a CompletionListener
/// (SWIG director) receives a CommandOutcome once the pen acknowledged, refused, or the
/// command failed on the host (out of range before sending, pen closed, link lost, timeout).
///
/// Ownership: bind::Pen::*_async takes the listener over. The host language first gives up
/// its ownership (Python __disown__(), Java swigReleaseOwnership(), C# swigCMemOwn = false),
/// so the listener, and through it the host object, lives until on_done has run; C++ deletes
/// it right after. on_done runs exactly once, whatever happens to the pen.
///
/// Threads: on_done runs on the pen's callback thread, like every other listener; for a command
/// issued after the pen was closed, on the issuing thread before the call returns.
#pragma once

#include <string>

#include "penlink/penlink.hpp"

namespace penlink::bind {

/// What became of one asynchronous command. A plain copy of penlink::Result plus the name of
/// the exception class the synchronous call would have thrown.
struct CommandOutcome {
    ErrorCode code = ErrorCode::Ok;
    std::string message;
    double value = 0;  ///< OutOfRange only: the refused value, in unit
    double limit = 0;  ///< OutOfRange only: the bound it broke, in unit
    std::string unit;  ///< OutOfRange only: e.g. "mm"
    /// "" on success, else the host exception class (see error_class_name in penlink_bind.hpp).
    std::string error_class;

    bool ok() const { return code == ErrorCode::Ok; }
};

class CompletionListener {
public:
    virtual ~CompletionListener() = default;
    /// Called exactly once per command; outcome is valid only during the call.
    virtual void on_done(const CommandOutcome& outcome) = 0;
};

/// Name of the host-language exception class for an error code; the same names in every
/// language: PenError (base), InvalidArgumentError, OutOfRangeError, TimeoutError,
/// ConnectionError, ConnectionLostError (a ConnectionError: the link went away or the pen is
/// closed), SafetyError, NotSupportedError, RejectedError, AuthenticationError.
inline const char* error_class_name(ErrorCode code) noexcept {
    switch (code) {
        case ErrorCode::InvalidArgument:
            return "InvalidArgumentError";
        case ErrorCode::OutOfRange:
            return "OutOfRangeError";
        case ErrorCode::Timeout:
            return "TimeoutError";
        case ErrorCode::ConnectionFailed:
            return "ConnectionError";
        case ErrorCode::ConnectionLost:
        case ErrorCode::NotConnected:
            return "ConnectionLostError";
        case ErrorCode::EmergencyStopped:
        case ErrorCode::FaultActive:
            return "SafetyError";
        case ErrorCode::NotSupported:
            return "NotSupportedError";
        case ErrorCode::Rejected:
        case ErrorCode::Protocol:
        case ErrorCode::Internal:
        case ErrorCode::CallbackFailed:
            return "RejectedError";
        case ErrorCode::AuthenticationRequired:
        case ErrorCode::KeyRejected:
        case ErrorCode::PenNotAuthentic:
            return "AuthenticationError";
        case ErrorCode::Ok:
            break;
    }
    return "PenError";
}

#ifndef SWIG  // penlink::Result is not wrapped
inline CommandOutcome to_outcome(const Result& result) {
    CommandOutcome outcome;
    outcome.code = result.code;
    outcome.message = result.message;
    outcome.value = result.value;
    outcome.limit = result.limit;
    outcome.unit = result.unit;
    if (!result.ok()) outcome.error_class = error_class_name(result.code);
    return outcome;
}
#endif

}  // namespace penlink::bind
