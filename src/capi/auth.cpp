// penlink/auth.h: pl_keys, the security statistics and key rotation.
#include <memory>
#include <vector>

#include "capi/boundary.hpp"
#include "capi/callbacks.hpp"
#include "capi/handles.hpp"
#include "capi/struct_versions.hpp"
#include "penlink/auth.h"

using namespace penlink;
using capi::guarded;
using capi::live_pen;
using capi::require;

namespace {

pl_keys& live_keys(const pl_keys* keys, const char* function) {
    require(keys, function, "keys");
    if (!capi::is_live(keys, capi::HandleKind::Keys)) {
        throw InvalidArgumentError(std::string(function) +
                                   ": keys is not a live pl_keys (freed, or never made with "
                                   "pl_keys_new)");
    }
    return *const_cast<pl_keys*>(keys);
}

}  // namespace

extern "C" {

int pl_keys_new(pl_keys** out) {
    return guarded([&] {
        require(out, "pl_keys_new", "out");
        *out = nullptr;
        auto keys = std::make_unique<pl_keys>();
        capi::register_handle(keys.get(), capi::HandleKind::Keys);
        *out = keys.release();
        return 0;
    });
}

int pl_keys_add(pl_keys* keys, const char* serial, const uint8_t* key, size_t key_size) {
    return guarded([&] {
        auto& live = live_keys(keys, "pl_keys_add");
        require(serial, "pl_keys_add", "serial");
        require(key, "pl_keys_add", "key");
        std::vector<std::uint8_t> bytes(key, key + key_size);
        live.keys.add(serial, bytes);
        std::fill(bytes.begin(), bytes.end(), std::uint8_t{0});
        return 0;
    });
}

int pl_keys_add_hex(pl_keys* keys, const char* serial, const char* hex) {
    return guarded([&] {
        auto& live = live_keys(keys, "pl_keys_add_hex");
        require(serial, "pl_keys_add_hex", "serial");
        require(hex, "pl_keys_add_hex", "hex");
        live.keys.add_hex(serial, hex);
        return 0;
    });
}

int pl_keys_load_file(pl_keys* keys, const char* path) {
    return guarded([&] {
        auto& live = live_keys(keys, "pl_keys_load_file");
        require(path, "pl_keys_load_file", "path");
        live.keys.load_file(path);
        return 0;
    });
}

size_t pl_keys_count(const pl_keys* keys) {
    if (keys == nullptr || !capi::is_live(keys, capi::HandleKind::Keys)) return 0;
    return keys->keys.serials().size();
}

void pl_keys_free(pl_keys* keys) {
    if (keys == nullptr) return;
    if (!capi::unregister_handle(keys, capi::HandleKind::Keys)) {
        capi::log(LogLevel::Error, "pl_keys_free: pointer is not a live pl_keys; ignored");
        return;
    }
    std::unique_ptr<pl_keys> owned(keys);  // PenKeys wipes its keys
}

int pl_security_stats_init(pl_security_stats* stats, unsigned version) {
    return capi::init_struct(stats, version, pl_security_stats PL_SECURITY_STATS_INIT,
                             "pl_security_stats_init", "stats");
}

int pl_pen_security_stats(pl_pen* pen, pl_security_stats* out) {
    return guarded([&] {
        require(out, "pl_pen_security_stats", "out");
        capi::require_known_version<pl_security_stats>(out->version, "pl_pen_security_stats");
        const auto stats = live_pen(pen, "pl_pen_security_stats").pen->security_stats();
        out->authenticated = stats.authenticated ? 1 : 0;
        out->forged = stats.forged;
        out->replayed = stats.replayed;
        out->unauthenticated = stats.unauthenticated;
        out->rejected_by_pen = stats.rejected_by_pen;
        return 0;
    });
}

int pl_pen_change_key(pl_pen* pen, const uint8_t* key, size_t key_size) {
    return guarded([&] {
        auto& live = live_pen(pen, "pl_pen_change_key");
        require(key, "pl_pen_change_key", "key");
        std::vector<std::uint8_t> bytes(key, key + key_size);
        try {
            live.pen->change_key(bytes);
        } catch (...) {
            std::fill(bytes.begin(), bytes.end(), std::uint8_t{0});
            throw;
        }
        std::fill(bytes.begin(), bytes.end(), std::uint8_t{0});
        return 0;
    });
}

}  // extern "C"
