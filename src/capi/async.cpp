// Asynchronous twins: each hands the C++ _async call a completion that re-enters C on the pen's
// callback thread, with that thread's last error set to the outcome.
#include "capi/boundary.hpp"
#include "capi/callbacks.hpp"
#include "capi/convert.hpp"
#include "capi/handles.hpp"

using namespace penlink;
using capi::completion;
using capi::guarded;
using capi::live_pen;

namespace penlink::capi {

ResultHandler completion(const pl_pen* pen, pl_done_cb done, void* payload) {
    return [pen, done, payload](const Result& result) {
        if (done == nullptr) return;
        capi::CallbackScope scope(pen);
        const int code = capi::set_error(result);
        const int returned = done(code, payload);
        if (returned != 0) capi::report_callback_failure("completion", returned);
    };
}

}  // namespace penlink::capi

extern "C" {

int pl_pen_set_depth_um_async(pl_pen* pen, int32_t depth_um, pl_done_cb done, void* payload) {
    return guarded([&] {
        live_pen(pen, "pl_pen_set_depth_um_async")
            .pen->set_depth_async(Depth::um(depth_um), completion(pen, done, payload));
        return 0;
    });
}

int pl_pen_set_speed_hz_async(pl_pen* pen, double speed_hz, pl_done_cb done, void* payload) {
    return guarded([&] {
        live_pen(pen, "pl_pen_set_speed_hz_async")
            .pen->set_speed_async(Speed::hz(speed_hz), completion(pen, done, payload));
        return 0;
    });
}

int pl_pen_start_async(pl_pen* pen, pl_done_cb done, void* payload) {
    return guarded([&] {
        live_pen(pen, "pl_pen_start_async").pen->start_async(completion(pen, done, payload));
        return 0;
    });
}

int pl_pen_stop_async(pl_pen* pen, pl_done_cb done, void* payload) {
    return guarded([&] {
        live_pen(pen, "pl_pen_stop_async").pen->stop_async(completion(pen, done, payload));
        return 0;
    });
}

int pl_pen_set_rf_mode_async(pl_pen* pen, const pl_rf_mode* mode, pl_done_cb done, void* payload) {
    return guarded([&] {
        auto& live = live_pen(pen, "pl_pen_set_rf_mode_async");
        capi::require(mode, "pl_pen_set_rf_mode_async", "mode");
        live.pen->set_rf_mode_async(capi::to_cpp(*mode, "pl_pen_set_rf_mode_async"),
                                    completion(pen, done, payload));
        return 0;
    });
}

int pl_pen_set_led_mode_async(pl_pen* pen, const pl_led_mode* mode, pl_done_cb done,
                              void* payload) {
    return guarded([&] {
        auto& live = live_pen(pen, "pl_pen_set_led_mode_async");
        capi::require(mode, "pl_pen_set_led_mode_async", "mode");
        live.pen->set_led_mode_async(capi::to_cpp(*mode, "pl_pen_set_led_mode_async"),
                                     completion(pen, done, payload));
        return 0;
    });
}

int pl_pen_emergency_stop_async(pl_pen* pen, pl_done_cb done, void* payload) {
    return guarded([&] {
        live_pen(pen, "pl_pen_emergency_stop_async")
            .pen->emergency_stop_async(completion(pen, done, payload));
        return 0;
    });
}

int pl_pen_clear_emergency_stop_async(pl_pen* pen, pl_done_cb done, void* payload) {
    return guarded([&] {
        live_pen(pen, "pl_pen_clear_emergency_stop_async")
            .pen->clear_emergency_stop_async(completion(pen, done, payload));
        return 0;
    });
}

}  // extern "C"
