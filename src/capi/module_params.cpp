// Module parameters and telemetry from C (penlink/modules.h): tagged pl_values to and from
// ParamValue, set and get by key, and a module's telemetry read from a pl_status. The checks
// against the descriptor are Pen's (src/core/module_params.cpp); this file only refuses what C
// can get wrong on its own (NULLs, a kind outside the enum, a non-finite number).
#include <algorithm>
#include <cmath>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "capi/boundary.hpp"
#include "capi/callbacks.hpp"
#include "capi/handles.hpp"
#include "capi/struct_versions.hpp"
#include "core/limits.hpp"

using namespace penlink;

namespace {

static_assert(PL_VALUE_BOOL == static_cast<int>(ParamValue::Kind::Bool) &&
              PL_VALUE_NUMBER == static_cast<int>(ParamValue::Kind::Number) &&
              PL_VALUE_LABEL == static_cast<int>(ParamValue::Kind::Label));

std::string where(const char* function, size_t index, const char* key) {
    return std::string(function) + ": settings[" + std::to_string(index) + "]" +
           (key ? std::string(" (\"") + key + "\")" : std::string());
}

ParamValue to_cpp(const pl_value& value, const char* function, size_t index, const char* key) {
    switch (capi::raw_enum(value.kind)) {
        case PL_VALUE_BOOL:
            return ParamValue(value.boolean != 0);
        case PL_VALUE_NUMBER:
            if (!std::isfinite(value.number)) {
                throw InvalidArgumentError(where(function, index, key) + ": value " +
                                           core::format_number(value.number) +
                                           " is not a finite number");
            }
            return ParamValue(value.number);
        case PL_VALUE_LABEL:
            if (value.label == nullptr) {
                throw InvalidArgumentError(where(function, index, key) + ": value.label is NULL");
            }
            return ParamValue(value.label);
        default:
            break;
    }
    throw InvalidArgumentError(where(function, index, key) + ": value.kind " +
                               std::to_string(capi::raw_enum(value.kind)) +
                               " is none of PL_VALUE_BOOL (0), PL_VALUE_NUMBER (1), "
                               "PL_VALUE_LABEL (2)");
}

std::vector<ParamSetting> to_cpp(const pl_param_setting* settings, size_t count,
                                 const char* function) {
    capi::require(settings, function, "settings");
    std::vector<ParamSetting> values;
    values.reserve(count);
    for (size_t i = 0; i < count; ++i) {
        if (settings[i].key == nullptr) {
            throw InvalidArgumentError(where(function, i, nullptr) + ": key is NULL");
        }
        values.push_back(
            {settings[i].key, to_cpp(settings[i].value, function, i, settings[i].key)});
    }
    return values;
}

// label points at storage that outlives the returned value (the caller says which).
pl_value to_c(const ParamValue& value, const char* label) {
    switch (value.kind()) {
        case ParamValue::Kind::Bool:
            return pl_value_bool(value.as_bool() ? 1 : 0);
        case ParamValue::Kind::Label:
            return pl_value_label(label);
        case ParamValue::Kind::Number:
            break;
    }
    return pl_value_number(value.as_number());
}

// A status the caller gives: a known version that carries telemetry.
Status telemetry_of(const pl_status& status, const char* function) {
    capi::require_known_version<pl_status>(status.version, function);
    if (status.version < 2) {
        throw InvalidArgumentError(std::string(function) +
                                   ": pl_status version 1 carries no telemetry (it came in "
                                   "version 2; initialise it with PL_STATUS_INIT)");
    }
    Status out;
    out.telemetry_count =
        std::clamp<std::int32_t>(status.telemetry_count, 0, PL_MAX_TELEMETRY_READINGS);
    for (std::int32_t i = 0; i < out.telemetry_count; ++i) {
        const auto index = static_cast<std::size_t>(i);
        out.telemetry[index] = {status.telemetry[index].slot, status.telemetry[index].channel,
                                status.telemetry[index].raw};
    }
    return out;
}

}  // namespace

extern "C" {

pl_value pl_value_bool(int value) {
    pl_value out = PL_VALUE_INIT;
    out.kind = PL_VALUE_BOOL;
    out.boolean = value != 0 ? 1 : 0;
    out.number = out.boolean;
    return out;
}

pl_value pl_value_number(double value) {
    pl_value out = PL_VALUE_INIT;
    out.number = value;
    return out;
}

pl_value pl_value_label(const char* label) {
    pl_value out = PL_VALUE_INIT;
    out.kind = PL_VALUE_LABEL;
    out.label = label;
    return out;
}

int pl_pen_set_params(pl_pen* pen, const char* module, const pl_param_setting* settings,
                      size_t count) {
    return capi::guarded([&] {
        auto& live = capi::live_pen(pen, "pl_pen_set_params");
        capi::require(module, "pl_pen_set_params", "module");
        live.pen->set_params(module, to_cpp(settings, count, "pl_pen_set_params"));
        return 0;
    });
}

int pl_pen_set_params_async(pl_pen* pen, const char* module, const pl_param_setting* settings,
                            size_t count, pl_done_cb done, void* payload) {
    return capi::guarded([&] {
        auto& live = capi::live_pen(pen, "pl_pen_set_params_async");
        capi::require(module, "pl_pen_set_params_async", "module");
        live.pen->set_params_async(module, to_cpp(settings, count, "pl_pen_set_params_async"),
                                   capi::completion(pen, done, payload));
        return 0;
    });
}

int pl_pen_get_param(pl_value* out, pl_pen* pen, const char* module, const char* key) {
    return capi::guarded([&] {
        capi::require(out, "pl_pen_get_param", "out");
        auto& live = capi::live_pen(pen, "pl_pen_get_param");
        capi::require(module, "pl_pen_get_param", "module");
        capi::require(key, "pl_pen_get_param", "key");
        const ParamValue value = live.pen->get_param(module, key);
        const char* label = nullptr;
        if (value.kind() == ParamValue::Kind::Label) {
            std::lock_guard lock(live.labels_mutex);
            label = live.labels.insert(value.as_label()).first->c_str();
        }
        *out = to_c(value, label);
        return 0;
    });
}

int pl_pen_get_params(pl_param_list** out, pl_pen* pen, const char* module) {
    return capi::guarded([&] {
        capi::require(out, "pl_pen_get_params", "out");
        *out = nullptr;
        auto& live = capi::live_pen(pen, "pl_pen_get_params");
        capi::require(module, "pl_pen_get_params", "module");
        auto list = std::make_unique<pl_param_list>();
        list->values = live.pen->get_params(module);
        list->views.reserve(list->values.size());
        // views point into values, which is never resized after this.
        for (const ParamSetting& setting : list->values) {
            const bool labelled = setting.value.kind() == ParamValue::Kind::Label;
            list->views.push_back(
                {setting.key.c_str(),
                 to_c(setting.value, labelled ? setting.value.as_label().c_str() : nullptr)});
        }
        capi::register_handle(list.get(), capi::HandleKind::ParamList);
        *out = list.release();
        return 0;
    });
}

size_t pl_param_list_count(const pl_param_list* list) {
    if (list == nullptr || !capi::is_live(list, capi::HandleKind::ParamList)) return 0;
    return list->views.size();
}

const pl_param_setting* pl_param_list_get(const pl_param_list* list, size_t index) {
    if (list == nullptr || !capi::is_live(list, capi::HandleKind::ParamList)) return nullptr;
    if (index >= list->views.size()) return nullptr;
    return &list->views[index];
}

void pl_param_list_free(pl_param_list* list) {
    if (list == nullptr) return;
    if (!capi::unregister_handle(list, capi::HandleKind::ParamList)) {
        capi::log(LogLevel::Error,
                  "pl_param_list_free: pointer is not a live pl_param_list; ignored");
        return;
    }
    std::unique_ptr<pl_param_list> owned(list);
}

int pl_module_telemetry(double* out, int* available, const pl_module* module,
                        const pl_status* status, const char* key) {
    return capi::guarded([&] {
        capi::require(out, "pl_module_telemetry", "out");
        capi::require(module, "pl_module_telemetry", "module");
        capi::require(status, "pl_module_telemetry", "status");
        capi::require(key, "pl_module_telemetry", "key");
        const auto value =
            module->module.telemetry(telemetry_of(*status, "pl_module_telemetry"), key);
        *out = value.value_or(0.0);
        if (available != nullptr) *available = value ? 1 : 0;
        return 0;
    });
}

int pl_module_telemetry_alarm(int* out, const pl_module* module, const pl_status* status,
                              const char* key) {
    return capi::guarded([&] {
        capi::require(out, "pl_module_telemetry_alarm", "out");
        capi::require(module, "pl_module_telemetry_alarm", "module");
        capi::require(status, "pl_module_telemetry_alarm", "status");
        capi::require(key, "pl_module_telemetry_alarm", "key");
        *out =
            module->module.telemetry_alarm(telemetry_of(*status, "pl_module_telemetry_alarm"), key)
                ? 1
                : 0;
        return 0;
    });
}

}  // extern "C"
