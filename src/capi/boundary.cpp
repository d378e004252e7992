// Thread-local error state of the C ABI and the public pl_error_* / pl_strerror functions.
#include "capi/boundary.hpp"

#include <string>

namespace penlink::capi {
namespace {

struct LastError {
    int code = 0;
    std::string message;
    bool has_range = false;
    double value = 0;
    double limit = 0;
    std::string unit;
};

// One per thread so concurrent callers never read each other's failures.
thread_local LastError last_error;

}  // namespace

int set_error(ErrorCode code, const std::string& message) {
    auto& last = last_error;
    last.code = static_cast<int>(code);
    last.message = message;
    last.has_range = false;
    last.value = last.limit = 0;
    last.unit.clear();
    return last.code;
}

int set_error(const Error& error) {
    set_error(error.code(), error.what());
    if (const auto* range = dynamic_cast<const OutOfRangeError*>(&error)) {
        last_error.has_range = true;
        last_error.value = range->value();
        last_error.limit = range->limit();
        last_error.unit = range->unit();
    }
    return last_error.code;
}

int set_error(const Result& result) {
    if (result.ok()) {
        pl_error_clear();
        return 0;
    }
    set_error(result.code, result.message);
    if (result.code == ErrorCode::OutOfRange) {
        last_error.has_range = true;
        last_error.value = result.value;
        last_error.limit = result.limit;
        last_error.unit = result.unit;
    }
    return last_error.code;
}

void require_version(unsigned version, unsigned highest, const char* function, const char* type) {
    if (version == 0 || version > highest) {
        throw InvalidArgumentError(
            std::string(function) + ": " + type + " version " + std::to_string(version) +
            " is not supported by penlink " PENLINK_VERSION_STRING " (known versions 1 to " +
            std::to_string(highest) + "; initialise it with the _INIT macro or _init function)");
    }
}

}  // namespace penlink::capi

using penlink::capi::last_error;

extern "C" {

const char* pl_error_last(void) { return last_error.message.c_str(); }

int pl_error_last_code(void) { return last_error.code; }

int pl_error_last_range(double* value, double* limit, const char** unit) {
    const bool known = last_error.code == PL_ERANGE && last_error.has_range;
    if (value != nullptr) *value = known ? last_error.value : 0;
    if (limit != nullptr) *limit = known ? last_error.limit : 0;
    if (unit != nullptr) *unit = known ? last_error.unit.c_str() : "";
    return known ? 1 : 0;
}

void pl_error_clear(void) {
    last_error.code = 0;
    last_error.message.clear();
    last_error.has_range = false;
    last_error.value = last_error.limit = 0;
    last_error.unit.clear();
}

const char* pl_strerror(int code) {
    if (code > 0 || code < PL_ENOTAUTHENTIC) return "unknown error";
    return penlink::to_string(static_cast<penlink::ErrorCode>(code));
}

}  // extern "C"
