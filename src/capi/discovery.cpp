// pl_discover(): penlink::discover() with C views of its results, and the USB table.
#include <chrono>
#include <memory>
#include <string>

#include "capi/boundary.hpp"
#include "capi/callbacks.hpp"
#include "capi/handles.hpp"
#include "capi/struct_versions.hpp"

using namespace penlink;

namespace {

pl_discovered_pen view_of(const DiscoveredPen& pen) {
    return pl_discovered_pen{PL_DISCOVERED_PEN_VERSION,
                             pen.url.c_str(),
                             pen.name.c_str(),
                             static_cast<int>(pen.transport),
                             pen.address.c_str(),
                             pen.adapter.c_str(),
                             pen.has_rssi ? 1 : 0,
                             pen.rssi_dbm,
                             pen.usb_vid,
                             pen.usb_pid,
                             pen.serial_number.c_str()};
}

}  // namespace

extern "C" {

int pl_discovery_options_init(pl_discovery_options* options, unsigned version) {
    return capi::init_struct(options, version, pl_discovery_options PL_DISCOVERY_OPTIONS_INIT,
                             "pl_discovery_options_init", "options");
}

int pl_discover(pl_discovery_list** out, int32_t timeout_ms, const pl_discovery_options* options) {
    return capi::guarded([&] {
        capi::require(out, "pl_discover", "out");
        *out = nullptr;
        DiscoveryFilter filter;
        if (options != nullptr) {
            capi::require_known_version<pl_discovery_options>(options->version, "pl_discover");
            filter.serial = options->serial != 0;
            filter.ble = options->ble != 0;
            if (options->name_prefix) filter.name_prefix = options->name_prefix;
            if (options->ble_adapter) filter.ble_adapter = options->ble_adapter;
            if (options->on_found) {
                const pl_discovery_fn on_found = options->on_found;
                void* const payload = options->payload;
                filter.on_found = [on_found, payload](const DiscoveredPen& pen) {
                    const pl_discovered_pen view = view_of(pen);
                    on_found(&view, payload);
                };
            }
        }
        auto list = std::make_unique<pl_discovery_list>();
        list->pens = discover(std::chrono::milliseconds(timeout_ms), filter);
        list->views.reserve(list->pens.size());
        // views point into pens, which is never resized after this.
        for (const auto& pen : list->pens) list->views.push_back(view_of(pen));
        capi::register_handle(list.get(), capi::HandleKind::DiscoveryList);
        *out = list.release();
        return 0;
    });
}

size_t pl_discovery_list_count(const pl_discovery_list* list) {
    if (list == nullptr || !capi::is_live(list, capi::HandleKind::DiscoveryList)) return 0;
    return list->views.size();
}

const pl_discovered_pen* pl_discovery_list_get(const pl_discovery_list* list, size_t index) {
    if (list == nullptr || !capi::is_live(list, capi::HandleKind::DiscoveryList)) return nullptr;
    if (index >= list->views.size()) return nullptr;
    return &list->views[index];
}

void pl_discovery_list_free(pl_discovery_list* list) {
    if (list == nullptr) return;
    if (!capi::unregister_handle(list, capi::HandleKind::DiscoveryList)) {
        capi::log(LogLevel::Error,
                  "pl_discovery_list_free: pointer is not a live pl_discovery_list; ignored");
        return;
    }
    std::unique_ptr<pl_discovery_list> owned(list);
}

int pl_usb_pen_register(int32_t vid, int32_t pid, const char* name) {
    return capi::guarded([&] {
        register_usb_pen(UsbPenId{vid, pid, name ? name : ""});
        return 0;
    });
}

}  // extern "C"
