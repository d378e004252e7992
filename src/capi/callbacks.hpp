// Helpers shared by the trampolines that turn C++ callbacks into C function-pointer calls.
#pragma once

#include <functional>

#include "penlink/errors.hpp"
#include "penlink/penlink.h"
#include "penlink/types.hpp"

namespace penlink::capi {

/// Marks the current thread as running a callback of pen while alive, so pl_pen_free() can
/// refuse to join the thread it is running on.
class CallbackScope {
public:
    explicit CallbackScope(const pl_pen* pen);
    ~CallbackScope();
    CallbackScope(const CallbackScope&) = delete;
    CallbackScope& operator=(const CallbackScope&) = delete;

private:
    const pl_pen* previous_;
};

/// True if this thread is inside a callback of pen.
bool in_callback_of(const pl_pen* pen);

/// A C callback returned non-zero: say so through the log sink.
void report_callback_failure(const char* callback, int returned);

/// The C++ completion of an _async call: runs done (if not NULL) on the pen's callback thread
/// with the outcome's code, this thread's last error set to describe it (async.cpp).
std::function<void(const Result&)> completion(const pl_pen* pen, pl_done_cb done, void* payload);

/// Writes a line to the C log sink (or stderr by default), serialised with the SDK's own lines.
void log(LogLevel level, const char* message);

}  // namespace penlink::capi
