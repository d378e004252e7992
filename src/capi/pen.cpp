// pl_pen: connect, inspect, synchronous commands, latest status, close and free.
#include <memory>
#include <string>

#include "capi/boundary.hpp"
#include "capi/callbacks.hpp"
#include "capi/convert.hpp"
#include "capi/handles.hpp"
#include "capi/struct_versions.hpp"

using namespace penlink;
using capi::guarded;
using capi::live_pen;
using capi::require;

extern "C" {

int pl_pen_connect(pl_pen** out, const char* url, const pl_connect_options* opts) {
    return guarded([&] {
        require(out, "pl_pen_connect", "out");
        *out = nullptr;
        require(url, "pl_pen_connect", "url");
        const pl_connect_options defaults = PL_CONNECT_OPTIONS_INIT;
        const pl_connect_options& chosen = opts != nullptr ? *opts : defaults;
        const ConnectOptions options = capi::to_cpp(chosen);
        if (chosen.log_level != PL_LOG_UNCHANGED) {
            const int rc = pl_log_set_level(static_cast<pl_log_level>(chosen.log_level));
            if (rc != 0) return rc;
        }
        auto pen = std::make_unique<pl_pen>();
        pen->url = url;
        pen->pen = Pen::connect(pen->url, options);
        capi::register_handle(pen.get(), capi::HandleKind::Pen);
        *out = pen.release();
        return 0;
    });
}

int pl_pen_close(pl_pen* pen) {
    return guarded([&] {
        live_pen(pen, "pl_pen_close").pen->close();
        return 0;
    });
}

void pl_pen_free(pl_pen* pen) {
    if (pen == nullptr) return;
    if (capi::in_callback_of(pen)) {
        // Freeing joins the callback thread we are running on: it would never return.
        capi::log(LogLevel::Error,
                  "pl_pen_free called from one of the pen's own callbacks; the pen stays alive "
                  "(call pl_pen_close here and pl_pen_free from another thread)");
        return;
    }
    if (capi::is_live(pen, capi::HandleKind::Pen) && pen->runners.load() > 0) {
        capi::log(LogLevel::Error,
                  "pl_pen_free: a pl_runner still drives this pen; the pen stays alive (free the "
                  "runner first)");
        return;
    }
    std::vector<std::shared_ptr<Subscription>> subscriptions;
    if (!capi::unregister_pen(pen, subscriptions)) {
        capi::log(LogLevel::Error,
                  "pl_pen_free: pointer is not a live pl_pen (freed twice?); ignored");
        return;
    }
    std::unique_ptr<pl_pen> owned(pen);
    try {
        for (auto& subscription : subscriptions) subscription->unsubscribe();
        owned->pen.reset();
    } catch (const std::exception& error) {
        capi::log(LogLevel::Error, (std::string("pl_pen_free: ") + error.what()).c_str());
    } catch (...) {
        capi::log(LogLevel::Error, "pl_pen_free: unexpected exception while closing");
    }
}

int pl_pen_url(const char** out, const pl_pen* pen) {
    return guarded([&] {
        require(out, "pl_pen_url", "out");
        *out = live_pen(pen, "pl_pen_url").url.c_str();
        return 0;
    });
}

int pl_pen_connection_state(pl_connection_state* out, const pl_pen* pen) {
    return guarded([&] {
        require(out, "pl_pen_connection_state", "out");
        *out = static_cast<pl_connection_state>(
            live_pen(pen, "pl_pen_connection_state").pen->connection_state());
        return 0;
    });
}

int pl_pen_info(pl_device_info* out, const pl_pen* pen) {
    return guarded([&] {
        require(out, "pl_pen_info", "out");
        capi::require_known_version<pl_device_info>(out->version, "pl_pen_info");
        capi::to_c(live_pen(pen, "pl_pen_info").pen->info(), *out);
        return 0;
    });
}

int pl_pen_capabilities(pl_capabilities* out, const pl_pen* pen) {
    return guarded([&] {
        require(out, "pl_pen_capabilities", "out");
        capi::require_known_version<pl_capabilities>(out->version, "pl_pen_capabilities");
        capi::to_c(live_pen(pen, "pl_pen_capabilities").pen->capabilities(), *out);
        return 0;
    });
}

int pl_pen_set_depth_limit_um(pl_pen* pen, int32_t limit_um) {
    return guarded([&] {
        live_pen(pen, "pl_pen_set_depth_limit_um").pen->set_depth_limit(Depth::um(limit_um));
        return 0;
    });
}

int pl_pen_depth_limit_um(int32_t* out, const pl_pen* pen) {
    return guarded([&] {
        require(out, "pl_pen_depth_limit_um", "out");
        *out = live_pen(pen, "pl_pen_depth_limit_um").pen->depth_limit().in_um();
        return 0;
    });
}

int pl_pen_set_depth_um(pl_pen* pen, int32_t depth_um) {
    return guarded([&] {
        live_pen(pen, "pl_pen_set_depth_um").pen->set_depth(Depth::um(depth_um));
        return 0;
    });
}

int pl_pen_set_depth_mm(pl_pen* pen, double depth_mm) {
    return guarded([&] {
        live_pen(pen, "pl_pen_set_depth_mm").pen->set_depth(Depth::mm(depth_mm));
        return 0;
    });
}

int pl_pen_set_speed_hz(pl_pen* pen, double speed_hz) {
    return guarded([&] {
        live_pen(pen, "pl_pen_set_speed_hz").pen->set_speed(Speed::hz(speed_hz));
        return 0;
    });
}

int pl_pen_reconnect(pl_pen* pen) {
    return guarded([&] {
        live_pen(pen, "pl_pen_reconnect").pen->reconnect();
        return 0;
    });
}

int pl_pen_start(pl_pen* pen) {
    return guarded([&] {
        live_pen(pen, "pl_pen_start").pen->start();
        return 0;
    });
}

int pl_pen_stop(pl_pen* pen) {
    return guarded([&] {
        live_pen(pen, "pl_pen_stop").pen->stop();
        return 0;
    });
}

int pl_pen_set_rf_mode(pl_pen* pen, const pl_rf_mode* mode) {
    return guarded([&] {
        auto& live = live_pen(pen, "pl_pen_set_rf_mode");
        require(mode, "pl_pen_set_rf_mode", "mode");
        live.pen->set_rf_mode(capi::to_cpp(*mode, "pl_pen_set_rf_mode"));
        return 0;
    });
}

int pl_pen_set_led_mode(pl_pen* pen, const pl_led_mode* mode) {
    return guarded([&] {
        auto& live = live_pen(pen, "pl_pen_set_led_mode");
        require(mode, "pl_pen_set_led_mode", "mode");
        live.pen->set_led_mode(capi::to_cpp(*mode, "pl_pen_set_led_mode"));
        return 0;
    });
}

int pl_pen_emergency_stop(pl_pen* pen) {
    return guarded([&] {
        live_pen(pen, "pl_pen_emergency_stop").pen->emergency_stop();
        return 0;
    });
}

int pl_pen_clear_emergency_stop(pl_pen* pen) {
    return guarded([&] {
        live_pen(pen, "pl_pen_clear_emergency_stop").pen->clear_emergency_stop();
        return 0;
    });
}

int pl_pen_clear_faults(pl_pen* pen) {
    return guarded([&] {
        live_pen(pen, "pl_pen_clear_faults").pen->clear_faults();
        return 0;
    });
}

int pl_pen_read_settings(pl_settings* out, pl_pen* pen) {
    return guarded([&] {
        require(out, "pl_pen_read_settings", "out");
        capi::require_known_version<pl_settings>(out->version, "pl_pen_read_settings");
        const PenSettings settings = live_pen(pen, "pl_pen_read_settings").pen->read_settings();
        capi::to_c(settings, *out);
        return 0;
    });
}

int pl_pen_latest_status(pl_status* out, int* available, const pl_pen* pen) {
    return guarded([&] {
        require(out, "pl_pen_latest_status", "out");
        capi::require_known_version<pl_status>(out->version, "pl_pen_latest_status");
        const auto latest = live_pen(pen, "pl_pen_latest_status").pen->latest_status();
        capi::to_c(latest ? *latest : Status{}, *out);  // Status{} is all zeros
        if (available != nullptr) *available = latest ? 1 : 0;
        return 0;
    });
}

int pl_pen_dropped_status_frames(uint64_t* out, const pl_pen* pen) {
    return guarded([&] {
        require(out, "pl_pen_dropped_status_frames", "out");
        *out = live_pen(pen, "pl_pen_dropped_status_frames").pen->dropped_status_frames();
        return 0;
    });
}

int pl_pen_received_status_frames(uint64_t* out, const pl_pen* pen) {
    return guarded([&] {
        require(out, "pl_pen_received_status_frames", "out");
        *out = live_pen(pen, "pl_pen_received_status_frames").pen->received_status_frames();
        return 0;
    });
}

}  // extern "C"
