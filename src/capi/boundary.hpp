// The C ABI boundary: thread-local last error, the exception-catching wrapper every exported
// function runs its body in, and argument checks that throw with the argument's name.
// No exception may cross into C, so every extern "C" body goes through guarded().
#pragma once

#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <type_traits>

#include "penlink/errors.hpp"
#include "penlink/penlink.h"

namespace penlink::capi {

/// Records a failure as this thread's last error and returns its (negative) code.
int set_error(ErrorCode code, const std::string& message);
/// Records a penlink::Error, keeping value/limit/unit of an OutOfRangeError.
int set_error(const Error& error);
/// Records a Result (used inside async completions, so pl_error_last() describes it).
int set_error(const Result& result);

/// Runs body (returning int) and turns any exception into a PL_E... code plus message.
template <class Body>
int guarded(Body&& body) noexcept {
    try {
        return body();
    } catch (const Error& error) {
        return set_error(error);
    } catch (const std::bad_alloc&) {
        return set_error(ErrorCode::Internal, "out of memory");
    } catch (const std::exception& error) {
        return set_error(ErrorCode::Internal, std::string("unexpected exception: ") + error.what());
    } catch (...) {
        return set_error(ErrorCode::Internal, "unexpected exception of unknown type");
    }
}

/// Throws InvalidArgumentError "<function>: <name> is NULL" when pointer is null.
template <class T>
void require(const T* pointer, const char* function, const char* name) {
    if (pointer == nullptr)
        throw InvalidArgumentError(std::string(function) + ": " + name + " is NULL");
}

/// The integer a C caller stored in an enum-typed parameter or field. C lets any int through;
/// in C++ loading an enum object holding a value outside its range is undefined, so the bytes
/// are copied out instead of the enum being read.
template <class Enum>
int raw_enum(const Enum& value) noexcept {
    std::underlying_type_t<Enum> raw;
    std::memcpy(&raw, &value, sizeof raw);
    return static_cast<int>(raw);
}

/// Checks a struct's version field against the highest this build knows.
void require_version(unsigned version, unsigned highest, const char* function, const char* type);

}  // namespace penlink::capi
