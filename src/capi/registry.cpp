// Registry of live C handles. Lookups take a shared lock, so concurrent calls on pens do not
// serialise; only creating and freeing handles takes the exclusive lock.
#include <algorithm>
#include <cstdio>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

#include "capi/boundary.hpp"
#include "capi/handles.hpp"

namespace penlink::capi {
namespace {

struct Registry {
    std::shared_mutex mutex;
    std::unordered_map<const void*, HandleKind> live;
};

Registry& registry() {
    static Registry instance;
    return instance;
}

std::string describe_pointer(const void* pointer) {
    char text[32];
    std::snprintf(text, sizeof text, "%p", pointer);
    return text;
}

}  // namespace

void register_handle(const void* handle, HandleKind kind) {
    auto& reg = registry();
    std::unique_lock lock(reg.mutex);
    reg.live[handle] = kind;
}

bool is_live(const void* handle, HandleKind kind) {
    auto& reg = registry();
    std::shared_lock lock(reg.mutex);
    auto found = reg.live.find(handle);
    return found != reg.live.end() && found->second == kind;
}

pl_pen& live_pen(const pl_pen* handle, const char* function) {
    require(handle, function, "pen");
    if (!is_live(handle, HandleKind::Pen)) {
        throw InvalidArgumentError(std::string(function) + ": pen " + describe_pointer(handle) +
                                   " is not a live pl_pen (already freed?)");
    }
    // The registry proved it is one of ours and alive; the const came from the C signature.
    return *const_cast<pl_pen*>(handle);
}

bool unregister_pen(pl_pen* pen, std::vector<std::shared_ptr<Subscription>>& subscriptions_out) {
    auto& reg = registry();
    std::unique_lock lock(reg.mutex);
    auto found = reg.live.find(pen);
    if (found == reg.live.end() || found->second != HandleKind::Pen) return false;
    reg.live.erase(found);
    subscriptions_out = std::move(pen->subscriptions);
    pen->subscriptions.clear();
    for (auto& [handle, kind] : reg.live) {
        if (kind != HandleKind::Subscription) continue;
        auto* subscription = static_cast<pl_subscription*>(const_cast<void*>(handle));
        if (subscription->owner == pen) subscription->owner = nullptr;
    }
    return true;
}

void register_subscription(pl_pen& pen, pl_subscription* subscription) {
    auto& reg = registry();
    std::unique_lock lock(reg.mutex);
    subscription->owner = &pen;
    pen.subscriptions.push_back(subscription->subscription);
    reg.live[subscription] = HandleKind::Subscription;
}

bool unregister_subscription(pl_subscription* subscription) {
    auto& reg = registry();
    std::unique_lock lock(reg.mutex);
    auto found = reg.live.find(subscription);
    if (found == reg.live.end() || found->second != HandleKind::Subscription) return false;
    reg.live.erase(found);
    if (subscription->owner != nullptr) {
        auto& list = subscription->owner->subscriptions;
        list.erase(std::remove(list.begin(), list.end(), subscription->subscription), list.end());
        subscription->owner = nullptr;
    }
    return true;
}

bool unregister_handle(const void* handle, HandleKind kind) {
    auto& reg = registry();
    std::unique_lock lock(reg.mutex);
    auto found = reg.live.find(handle);
    if (found == reg.live.end() || found->second != kind) return false;
    reg.live.erase(found);
    return true;
}

}  // namespace penlink::capi
