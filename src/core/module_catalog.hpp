// The modules fitted to one pen, with their descriptors: read at connect (GetModules, then each
// descriptor in ReadDescriptor chunks, checked by CRC-32), cached process-wide by CRC-32, or
// found in a partner directory for a pen that cannot store them (docs/protocol.md section 13).
//
// Threads: any; refresh() sends requests and waits, so never call it on the I/O thread.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "penlink/module.hpp"
#include "protocol/messages.hpp"

namespace penlink::core {

/// The text of the descriptor of the module in slot (what a session recording holds).
struct SlotDescriptor {
    std::uint8_t slot = 0;
    std::shared_ptr<const std::string> text;
};

class ModuleCatalog {
public:
    /// Sends one request and returns the pen's reply; throws the typed error on failure.
    using Exchange = std::function<protocol::Message(const protocol::Message&)>;

    /// Reads the module list and the descriptors not cached yet. Throws RejectedError
    /// (ErrorCode::Protocol) for a descriptor that stays corrupt after 3 reads or does not
    /// parse, NotSupportedError for a descriptor found neither on the pen nor in module_paths.
    void refresh(const Exchange& exchange, const std::vector<std::string>& module_paths);

    std::vector<Module> list() const;
    /// The descriptor texts of the modules in list(), by slot.
    std::vector<SlotDescriptor> descriptor_texts() const;
    /// "key" (the first module of that key) or "key@slot". Throws NotSupportedError naming the
    /// fitted modules.
    Module find(const std::string& selector) const;

    /// An attach or detach event arrived: the list is read again before its next use.
    void mark_stale() { stale_ = true; }
    bool stale() const { return stale_.load(); }

private:
    mutable std::mutex mutex_;
    std::vector<Module> modules_;
    std::vector<SlotDescriptor> texts_;
    std::atomic<bool> stale_{true};
};

/// The directories a partner's descriptor files may lie in: module_paths, then those in the
/// PENLINK_MODULE_PATH environment variable (colon-separated).
std::vector<std::string> module_search_path(const std::vector<std::string>& module_paths);

}  // namespace penlink::core
