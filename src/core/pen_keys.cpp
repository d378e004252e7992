// PenKeys: the host's keys by pen serial (ConnectOptions::keys), wiped when they go.
#include <map>

#include "common/key_file.hpp"
#include "penlink/pen.hpp"
#include "protocol/crypto.hpp"

namespace penlink {

struct PenKeys::Impl {
    std::map<std::string, keys::Key> keys;
    ~Impl() {
        for (auto& [serial, key] : keys) protocol::crypto::wipe(key);
    }
};

PenKeys::PenKeys() : impl_(new Impl) {}
PenKeys::PenKeys(const PenKeys& other) : impl_(new Impl(*other.impl_)) {}
PenKeys& PenKeys::operator=(const PenKeys& other) {
    if (this != &other) {
        auto* copy = new Impl(*other.impl_);
        delete impl_;
        impl_ = copy;
    }
    return *this;
}
PenKeys::~PenKeys() { delete impl_; }

void PenKeys::add(const std::string& serial, const std::vector<std::uint8_t>& key) {
    if (serial.empty()) throw InvalidArgumentError("a pen key needs the pen's serial number");
    keys::Key stored{};
    if (key.size() != stored.size()) {
        throw InvalidArgumentError("the key for " + serial + " has " + std::to_string(key.size()) +
                                   " bytes; a pen key has 32");
    }
    std::copy(key.begin(), key.end(), stored.begin());
    impl_->keys[serial] = stored;
    protocol::crypto::wipe(stored);
}

void PenKeys::add_hex(const std::string& serial, const std::string& hex) {
    if (serial.empty()) throw InvalidArgumentError("a pen key needs the pen's serial number");
    auto key = keys::parse_hex(hex, "the key for " + serial);
    impl_->keys[serial] = key;
    protocol::crypto::wipe(key);
}

void PenKeys::load_file(const std::string& path) {
    auto loaded = keys::load_file(path);
    if (loaded.count("") != 0) {
        for (auto& [serial, key] : loaded) protocol::crypto::wipe(key);
        throw InvalidArgumentError("key file " + path +
                                   " has a line with only a key; a host's key file names the pen "
                                   "of each key: \"SERIAL KEY\"");
    }
    for (auto& [serial, key] : loaded) {
        impl_->keys[serial] = key;
        protocol::crypto::wipe(key);
    }
}

bool PenKeys::remove(const std::string& serial) {
    const auto it = impl_->keys.find(serial);
    if (it == impl_->keys.end()) return false;
    protocol::crypto::wipe(it->second);
    impl_->keys.erase(it);
    return true;
}

bool PenKeys::contains(const std::string& serial) const { return impl_->keys.count(serial) != 0; }
bool PenKeys::empty() const { return impl_->keys.empty(); }

std::vector<std::string> PenKeys::serials() const {
    std::vector<std::string> serials;
    for (const auto& [serial, key] : impl_->keys) serials.push_back(serial);
    return serials;
}

const std::uint8_t* PenKeys::find(const std::string& serial) const {
    const auto it = impl_->keys.find(serial);
    return it == impl_->keys.end() ? nullptr : it->second.data();
}

}  // namespace penlink
