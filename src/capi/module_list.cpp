// pl_module_list: a snapshot of Pen::modules() with C views of every module's descriptor, and
// the accessors of pl_module, pl_param_spec, pl_telemetry_spec and pl_interlock_spec
// (penlink/modules.h). The list owns everything; the views are borrowed from it.
#include <cstring>
#include <memory>

#include "capi/boundary.hpp"
#include "capi/callbacks.hpp"
#include "capi/handles.hpp"

using namespace penlink;

pl_module::pl_module(Module from) : module(std::move(from)) {
    const ModuleDescriptor& descriptor = module.descriptor();
    for (const ParamSpec& spec : descriptor.parameters) parameters.push_back({&spec});
    for (const TelemetrySpec& spec : descriptor.telemetry) telemetry.push_back({&spec});
    for (const InterlockSpec& spec : descriptor.interlocks) interlocks.push_back({&spec});
}

namespace {

static_assert(PL_PARAM_BOOL == static_cast<int>(ParamType::Bool) &&
              PL_PARAM_INTEGER == static_cast<int>(ParamType::Integer) &&
              PL_PARAM_FIXED == static_cast<int>(ParamType::Fixed) &&
              PL_PARAM_ENUM == static_cast<int>(ParamType::Enum));
static_assert(PL_SAFETY_NONE == static_cast<int>(SafetyClass::None) &&
              PL_SAFETY_ENERGY == static_cast<int>(SafetyClass::Energy));

int hand_out(pl_module_list** out, std::vector<Module> modules) {
    auto list = std::make_unique<pl_module_list>();
    list->modules.reserve(modules.size());
    for (Module& module : modules) list->modules.push_back(std::make_unique<pl_module>(module));
    capi::register_handle(list.get(), capi::HandleKind::ModuleList);
    *out = list.release();
    return 0;
}

// The element at index of a borrowed view's vector, or nullptr.
template <class Item>
const Item* element(const std::vector<Item>* items, size_t index) {
    if (items == nullptr || index >= items->size()) return nullptr;
    return &(*items)[index];
}

const char* text(const std::string* value) { return value ? value->c_str() : ""; }

}  // namespace

extern "C" {

int pl_pen_modules(pl_module_list** out, pl_pen* pen) {
    return capi::guarded([&] {
        capi::require(out, "pl_pen_modules", "out");
        *out = nullptr;
        return hand_out(out, capi::live_pen(pen, "pl_pen_modules").pen->modules());
    });
}

int pl_pen_module(pl_module_list** out, pl_pen* pen, const char* selector) {
    return capi::guarded([&] {
        capi::require(out, "pl_pen_module", "out");
        *out = nullptr;
        auto& live = capi::live_pen(pen, "pl_pen_module");
        capi::require(selector, "pl_pen_module", "selector");
        return hand_out(out, {live.pen->module(selector)});
    });
}

size_t pl_module_list_count(const pl_module_list* list) {
    if (list == nullptr || !capi::is_live(list, capi::HandleKind::ModuleList)) return 0;
    return list->modules.size();
}

const pl_module* pl_module_list_get(const pl_module_list* list, size_t index) {
    if (list == nullptr || !capi::is_live(list, capi::HandleKind::ModuleList)) return nullptr;
    if (index >= list->modules.size()) return nullptr;
    return list->modules[index].get();
}

void pl_module_list_free(pl_module_list* list) {
    if (list == nullptr) return;
    if (!capi::unregister_handle(list, capi::HandleKind::ModuleList)) {
        capi::log(LogLevel::Error,
                  "pl_module_list_free: pointer is not a live pl_module_list; ignored");
        return;
    }
    std::unique_ptr<pl_module_list> owned(list);
}

// ---- pl_module ----

const char* pl_module_key(const pl_module* module) {
    return module ? module->module.key().c_str() : "";
}
const char* pl_module_name(const pl_module* module) {
    return module ? module->module.name().c_str() : "";
}
int32_t pl_module_slot(const pl_module* module) { return module ? module->module.slot() : 0; }
uint16_t pl_module_vendor_id(const pl_module* module) {
    return module ? module->module.vendor_id() : 0;
}
const char* pl_module_vendor_name(const pl_module* module) {
    return module ? module->module.descriptor().vendor_name.c_str() : "";
}
uint16_t pl_module_model_id(const pl_module* module) {
    return module ? module->module.model_id() : 0;
}
const char* pl_module_firmware_version(const pl_module* module) {
    return module ? module->module.firmware_version().c_str() : "";
}

size_t pl_module_profile_count(const pl_module* module) {
    return module ? module->module.descriptor().profiles.size() : 0;
}
const char* pl_module_profile_get(const pl_module* module, size_t index) {
    const std::string* profile =
        module ? element(&module->module.descriptor().profiles, index) : nullptr;
    return profile ? profile->c_str() : nullptr;
}

size_t pl_module_param_count(const pl_module* module) {
    return module ? module->parameters.size() : 0;
}
const pl_param_spec* pl_module_param_get(const pl_module* module, size_t index) {
    return module ? element(&module->parameters, index) : nullptr;
}
const pl_param_spec* pl_module_param_find(const pl_module* module, const char* key) {
    if (module == nullptr || key == nullptr) return nullptr;
    for (const pl_param_spec& view : module->parameters) {
        if (view.spec->key == key) return &view;
    }
    return nullptr;
}

size_t pl_module_telemetry_count(const pl_module* module) {
    return module ? module->telemetry.size() : 0;
}
const pl_telemetry_spec* pl_module_telemetry_get(const pl_module* module, size_t index) {
    return module ? element(&module->telemetry, index) : nullptr;
}
const pl_telemetry_spec* pl_module_telemetry_find(const pl_module* module, const char* key) {
    if (module == nullptr || key == nullptr) return nullptr;
    for (const pl_telemetry_spec& view : module->telemetry) {
        if (view.spec->key == key) return &view;
    }
    return nullptr;
}

size_t pl_module_interlock_count(const pl_module* module) {
    return module ? module->interlocks.size() : 0;
}
const pl_interlock_spec* pl_module_interlock_get(const pl_module* module, size_t index) {
    return module ? element(&module->interlocks, index) : nullptr;
}

// ---- pl_param_spec ----

const char* pl_param_spec_key(const pl_param_spec* spec) {
    return text(spec ? &spec->spec->key : nullptr);
}
uint16_t pl_param_spec_id(const pl_param_spec* spec) { return spec ? spec->spec->id : 0; }
pl_param_type pl_param_spec_type(const pl_param_spec* spec) {
    return spec ? static_cast<pl_param_type>(spec->spec->type) : PL_PARAM_BOOL;
}
const char* pl_param_spec_unit(const pl_param_spec* spec) {
    return text(spec ? &spec->spec->unit : nullptr);
}
double pl_param_spec_scale(const pl_param_spec* spec) { return spec ? spec->spec->scale : 0.0; }
double pl_param_spec_min(const pl_param_spec* spec) { return spec ? spec->spec->min : 0.0; }
double pl_param_spec_max(const pl_param_spec* spec) { return spec ? spec->spec->max : 0.0; }
double pl_param_spec_step(const pl_param_spec* spec) { return spec ? spec->spec->step : 0.0; }
pl_value pl_param_spec_default(const pl_param_spec* spec) {
    if (spec == nullptr) return pl_value_number(0.0);
    const ParamSpec& param = *spec->spec;
    switch (param.type) {
        case ParamType::Bool:
            return pl_value_bool(param.default_value != 0.0);
        case ParamType::Enum: {
            const auto index = static_cast<size_t>(param.default_value);
            if (param.default_value >= 0 && index < param.labels.size()) {
                return pl_value_label(param.labels[index].c_str());
            }
            break;
        }
        case ParamType::Integer:
        case ParamType::Fixed:
            break;
    }
    return pl_value_number(param.default_value);
}
size_t pl_param_spec_label_count(const pl_param_spec* spec) {
    return spec ? spec->spec->labels.size() : 0;
}
const char* pl_param_spec_label_get(const pl_param_spec* spec, size_t index) {
    const std::string* label = spec ? element(&spec->spec->labels, index) : nullptr;
    return label ? label->c_str() : nullptr;
}
int pl_param_spec_writable(const pl_param_spec* spec) {
    return spec && spec->spec->access == ParamAccess::ReadWrite ? 1 : 0;
}
pl_safety_class pl_param_spec_safety(const pl_param_spec* spec) {
    return spec ? static_cast<pl_safety_class>(spec->spec->safety) : PL_SAFETY_NONE;
}
const char* pl_param_spec_description(const pl_param_spec* spec) {
    return text(spec ? &spec->spec->description : nullptr);
}

// ---- pl_telemetry_spec ----

const char* pl_telemetry_spec_key(const pl_telemetry_spec* spec) {
    return text(spec ? &spec->spec->key : nullptr);
}
uint8_t pl_telemetry_spec_id(const pl_telemetry_spec* spec) { return spec ? spec->spec->id : 0; }
const char* pl_telemetry_spec_unit(const pl_telemetry_spec* spec) {
    return text(spec ? &spec->spec->unit : nullptr);
}
double pl_telemetry_spec_scale(const pl_telemetry_spec* spec) {
    return spec ? spec->spec->scale : 0.0;
}
double pl_telemetry_spec_min(const pl_telemetry_spec* spec) { return spec ? spec->spec->min : 0.0; }
double pl_telemetry_spec_max(const pl_telemetry_spec* spec) { return spec ? spec->spec->max : 0.0; }
int pl_telemetry_spec_has_alarm_low(const pl_telemetry_spec* spec) {
    return spec && spec->spec->has_alarm_low ? 1 : 0;
}
double pl_telemetry_spec_alarm_low(const pl_telemetry_spec* spec) {
    return spec && spec->spec->has_alarm_low ? spec->spec->alarm_low : 0.0;
}
int pl_telemetry_spec_has_alarm_high(const pl_telemetry_spec* spec) {
    return spec && spec->spec->has_alarm_high ? 1 : 0;
}
double pl_telemetry_spec_alarm_high(const pl_telemetry_spec* spec) {
    return spec && spec->spec->has_alarm_high ? spec->spec->alarm_high : 0.0;
}
const char* pl_telemetry_spec_description(const pl_telemetry_spec* spec) {
    return text(spec ? &spec->spec->description : nullptr);
}

// ---- pl_interlock_spec ----

const char* pl_interlock_spec_key(const pl_interlock_spec* spec) {
    return text(spec ? &spec->spec->key : nullptr);
}
const char* pl_interlock_spec_condition(const pl_interlock_spec* spec) {
    return text(spec ? &spec->spec->condition : nullptr);
}
size_t pl_interlock_spec_guard_count(const pl_interlock_spec* spec) {
    return spec ? spec->spec->guards.size() : 0;
}
const char* pl_interlock_spec_guard_get(const pl_interlock_spec* spec, size_t index) {
    const std::string* guard = spec ? element(&spec->spec->guards, index) : nullptr;
    return guard ? guard->c_str() : nullptr;
}
const char* pl_interlock_spec_description(const pl_interlock_spec* spec) {
    return text(spec ? &spec->spec->description : nullptr);
}

}  // extern "C"
