#include "core/module_catalog.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "core/log.hpp"
#include "penlink/errors.hpp"
#include "protocol/crc.hpp"

namespace penlink::core {
namespace {

constexpr int kDescriptorAttempts = 3;

std::string hex32(std::uint32_t value) {
    std::ostringstream text;
    text << "0x" << std::hex << std::uppercase << value;
    return text.str();
}

std::string module_name(const protocol::ModuleEntry& entry) {
    return "the module in slot " + std::to_string(entry.slot) + " (vendor " +
           std::to_string(entry.vendor_id) + ", model " + std::to_string(entry.model_id) + ")";
}

// A descriptor parsed, with its text: a session recording holds the text (docs/records.md).
struct KnownDescriptor {
    std::shared_ptr<const ModuleDescriptor> parsed;
    std::shared_ptr<const std::string> text;
};

// Descriptors by CRC-32 and size, shared by every pen of the process: the same module kind on
// ten pens is read and parsed once.
class DescriptorCache {
public:
    std::optional<KnownDescriptor> find(std::uint32_t crc, std::size_t size) {
        std::lock_guard lock(mutex_);
        const auto it = entries_.find({crc, size});
        if (it == entries_.end()) return std::nullopt;
        return it->second;
    }
    void store(std::uint32_t crc, std::size_t size, KnownDescriptor d) {
        std::lock_guard lock(mutex_);
        entries_[{crc, size}] = std::move(d);
    }

private:
    std::mutex mutex_;
    std::map<std::pair<std::uint32_t, std::size_t>, KnownDescriptor> entries_;
};

DescriptorCache& cache() {
    static DescriptorCache instance;
    return instance;
}

// One pass over the descriptor, chunk by chunk. nullopt if a chunk does not fit the request or
// the pen's module entry (a chunk from another slot or offset, another total size): the caller
// reads again.
std::optional<std::string> read_descriptor_once(const ModuleCatalog::Exchange& exchange,
                                                const protocol::ModuleEntry& entry) {
    std::string bytes;
    bytes.reserve(entry.descriptor_size);
    while (bytes.size() < entry.descriptor_size) {
        const std::size_t left = entry.descriptor_size - bytes.size();
        const auto length =
            static_cast<std::uint8_t>(std::min<std::size_t>(left, protocol::kMaxDescriptorChunk));
        const auto reply = exchange(
            protocol::ReadDescriptor{entry.slot, static_cast<std::uint16_t>(bytes.size()), length});
        const auto* chunk = std::get_if<protocol::DescriptorChunk>(&reply);
        if (!chunk || chunk->slot != entry.slot || chunk->offset != bytes.size() ||
            chunk->total_size != entry.descriptor_size || chunk->length == 0 ||
            chunk->length > length) {
            return std::nullopt;
        }
        bytes.append(reinterpret_cast<const char*>(chunk->bytes.data()), chunk->length);
    }
    return bytes;
}

KnownDescriptor parse_named(const std::string& text, const std::string& whose) {
    try {
        return {std::make_shared<const ModuleDescriptor>(parse_module_descriptor(text)),
                std::make_shared<const std::string>(text)};
    } catch (const InvalidArgumentError& error) {
        throw RejectedError(ErrorCode::Protocol, whose + " has a descriptor penlink cannot use: " +
                                                     std::string(error.what()));
    }
}

KnownDescriptor read_from_pen(const ModuleCatalog::Exchange& exchange,
                              const protocol::ModuleEntry& entry) {
    std::string why;
    for (int attempt = 1; attempt <= kDescriptorAttempts; ++attempt) {
        const auto bytes = read_descriptor_once(exchange, entry);
        if (!bytes) {
            why = "a chunk did not match its request";
        } else if (const auto crc = protocol::crc32(std::span(
                       reinterpret_cast<const std::uint8_t*>(bytes->data()), bytes->size()));
                   crc != entry.descriptor_crc) {
            why = "its CRC-32 was " + hex32(crc) + ", not " + hex32(entry.descriptor_crc);
        } else {
            return parse_named(*bytes, module_name(entry));
        }
        log(LogLevel::Warning, "reading the descriptor of " + module_name(entry) + ", attempt " +
                                   std::to_string(attempt) + ": " + why);
    }
    throw RejectedError(ErrorCode::Protocol,
                        "could not read the descriptor of " + module_name(entry) + " in " +
                            std::to_string(kDescriptorAttempts) + " attempts: " + why);
}

KnownDescriptor find_in_directories(const protocol::ModuleEntry& entry,
                                    const std::vector<std::string>& dirs) {
    namespace fs = std::filesystem;
    for (const std::string& dir : dirs) {
        std::error_code error;
        for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
            if (it->path().extension() != ".json") continue;
            std::ifstream in(it->path(), std::ios::binary);
            std::ostringstream text;
            text << in.rdbuf();
            const std::string bytes = text.str();
            if (bytes.size() > protocol::kMaxDescriptorSize) continue;
            const auto crc = protocol::crc32(
                std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
            if (crc == entry.descriptor_crc) {
                return parse_named(bytes, it->path().string());
            }
        }
    }
    std::string searched;
    for (const std::string& dir : dirs) searched += (searched.empty() ? "" : ", ") + dir;
    throw NotSupportedError(module_name(entry) +
                            " keeps its descriptor off the pen, and no "
                            "*.json file with CRC-32 " +
                            hex32(entry.descriptor_crc) + " is in the module path (" +
                            (searched.empty() ? std::string("empty; set ConnectOptions::"
                                                            "module_paths or PENLINK_MODULE_PATH")
                                              : searched) +
                            ")");
}

KnownDescriptor descriptor_for(const ModuleCatalog::Exchange& exchange,
                               const protocol::ModuleEntry& entry,
                               const std::vector<std::string>& paths) {
    if (auto cached = cache().find(entry.descriptor_crc, entry.descriptor_size)) return *cached;
    auto descriptor = entry.descriptor_size == 0
                          ? find_in_directories(entry, module_search_path(paths))
                          : read_from_pen(exchange, entry);
    cache().store(entry.descriptor_crc, entry.descriptor_size, descriptor);
    return descriptor;
}

}  // namespace

std::vector<std::string> module_search_path(const std::vector<std::string>& module_paths) {
    std::vector<std::string> dirs = module_paths;
    if (const char* env = std::getenv("PENLINK_MODULE_PATH")) {
        std::istringstream list(env);
        std::string dir;
        while (std::getline(list, dir, ':')) {
            if (!dir.empty()) dirs.push_back(dir);
        }
    }
    return dirs;
}

void ModuleCatalog::refresh(const Exchange& exchange, const std::vector<std::string>& paths) {
    // Cleared first: an attach event during the reads below asks for another refresh.
    stale_ = false;
    protocol::Message reply;
    try {
        reply = exchange(protocol::GetModules{});
    } catch (const NotSupportedError&) {
        // A pen without module support (GetModules answered NotSupported): no modules.
        std::lock_guard lock(mutex_);
        modules_.clear();
        texts_.clear();
        return;
    }
    const auto* list = std::get_if<protocol::Modules>(&reply);
    if (!list)
        throw RejectedError(ErrorCode::Protocol, "the pen answered GetModules without a list");
    std::vector<Module> modules;
    std::vector<SlotDescriptor> texts;
    for (std::size_t i = 0; i < list->count; ++i) {
        const protocol::ModuleEntry& entry = list->modules[i];
        const std::string firmware = std::to_string(entry.fw_major) + "." +
                                     std::to_string(entry.fw_minor) + "." +
                                     std::to_string(entry.fw_patch);
        auto known = descriptor_for(exchange, entry, paths);
        modules.emplace_back(entry.slot, entry.vendor_id, entry.model_id, firmware,
                             std::move(known.parsed));
        texts.push_back({entry.slot, std::move(known.text)});
    }
    std::lock_guard lock(mutex_);
    modules_ = std::move(modules);
    texts_ = std::move(texts);
}

std::vector<SlotDescriptor> ModuleCatalog::descriptor_texts() const {
    std::lock_guard lock(mutex_);
    return texts_;
}

std::vector<Module> ModuleCatalog::list() const {
    std::lock_guard lock(mutex_);
    return modules_;
}

Module ModuleCatalog::find(const std::string& selector) const {
    std::string key = selector;
    std::optional<std::int32_t> slot;
    if (const auto at = selector.find('@'); at != std::string::npos) {
        key = selector.substr(0, at);
        try {
            std::size_t used = 0;
            slot = std::stoi(selector.substr(at + 1), &used);
            if (used != selector.size() - at - 1) slot.reset();
        } catch (const std::exception&) {
        }
        if (!slot) {
            throw InvalidArgumentError("module \"" + selector +
                                       "\": expected KEY or KEY@SLOT, e.g. cooling@2");
        }
    }
    std::lock_guard lock(mutex_);
    for (const Module& module : modules_) {
        if (module.key() == key && (!slot || module.slot() == *slot)) return module;
    }
    std::string fitted;
    for (const Module& module : modules_) {
        fitted += (fitted.empty() ? "" : ", ") + module.key() + "@" + std::to_string(module.slot());
    }
    throw NotSupportedError("no module \"" + selector + "\" is fitted to the pen (fitted: " +
                            (fitted.empty() ? "none" : fitted) + ")");
}

}  // namespace penlink::core
