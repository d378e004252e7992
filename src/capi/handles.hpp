// What the C ABI's opaque handles are, and the registry that tells live handles from freed
// ones. A C caller can hand us any pointer; checking it against the registry (instead of
// reading a magic field through it) means a stale pointer is never dereferenced.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "penlink/auth.h"
#include "penlink/discovery.hpp"
#include "penlink/modules.h"
#include "penlink/pen.hpp"
#include "penlink/penlink.h"

struct pl_pen {
    std::unique_ptr<penlink::Pen> pen;
    std::string url;
    // Enum labels handed out by pl_pen_get_param(), kept so they stay valid until the pen is
    // freed (std::set never moves its elements). Bounded by the labels of the pen's modules.
    std::mutex labels_mutex;
    std::set<std::string> labels;
    // Subscriptions still registered on this pen, so freeing the pen can stop them first.
    // Guarded by the registry's mutex.
    std::vector<std::shared_ptr<penlink::Subscription>> subscriptions;
    // Live pl_runners driving this pen (penlink/treatment.h): pl_pen_free refuses while any is,
    // since a runner's thread uses the pen until it is freed.
    std::atomic<int> runners{0};
};

struct pl_subscription {
    std::shared_ptr<penlink::Subscription> subscription;
    pl_pen* owner = nullptr;  // null once the pen was freed; guarded by the registry's mutex
};

struct pl_discovery_list {
    std::vector<penlink::DiscoveredPen> pens;
    std::vector<pl_discovered_pen> views;  // point into pens
};

struct pl_serial_port_list {
    std::vector<penlink::SerialPortInfo> ports;
    std::vector<pl_serial_port_info> views;  // point into ports
};

// The C views of a module list. The views hold pointers into the descriptors, which each
// Module keeps alive through its shared_ptr; nothing is resized after the list is built, so the
// pointers handed to C stay put until the list is freed.
struct pl_param_spec {
    const penlink::ParamSpec* spec;
};
struct pl_telemetry_spec {
    const penlink::TelemetrySpec* spec;
};
struct pl_interlock_spec {
    const penlink::InterlockSpec* spec;
};
struct pl_module {
    explicit pl_module(penlink::Module from);
    penlink::Module module;
    std::vector<pl_param_spec> parameters;
    std::vector<pl_telemetry_spec> telemetry;
    std::vector<pl_interlock_spec> interlocks;
};
struct pl_module_list {
    std::vector<std::unique_ptr<pl_module>> modules;
};

struct pl_keys {
    penlink::PenKeys keys;
};

struct pl_param_list {
    std::vector<penlink::ParamSetting> values;
    std::vector<pl_param_setting> views;  // point into values
};

namespace penlink::capi {

enum class HandleKind {
    Pen,
    Subscription,
    SerialPortList,
    ModuleList,
    ParamList,
    DiscoveryList,
    Keys,
    Recipe,
    RecipeReport,
    Runner,
    TreatmentLog,
    RunList,
    CartridgeList
};

/// Adds a freshly allocated handle.
void register_handle(const void* handle, HandleKind kind);
/// True if handle is live and of that kind.
bool is_live(const void* handle, HandleKind kind);

/// The live pen behind handle. Throws InvalidArgumentError naming function and argument if
/// handle is NULL, freed, or not a pl_pen.
pl_pen& live_pen(const pl_pen* handle, const char* function);

/// Removes a pen from the registry and takes over its subscriptions (their owner is cleared).
/// False if the pen was not live.
bool unregister_pen(pl_pen* pen, std::vector<std::shared_ptr<Subscription>>& subscriptions_out);
/// Adds subscription to pen's list and to the registry, atomically.
void register_subscription(pl_pen& pen, pl_subscription* subscription);
/// Removes a subscription from the registry and from its pen. False if it was not live.
bool unregister_subscription(pl_subscription* subscription);
/// Removes any other handle. False if it was not live.
bool unregister_handle(const void* handle, HandleKind kind);

}  // namespace penlink::capi
