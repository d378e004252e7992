// The Pen calls of authenticated sessions (docs/protocol.md section 16).
#include "api/pen_impl.hpp"
#include "protocol/crypto.hpp"

namespace penlink {

bool Pen::authenticated() const { return impl_->session->authenticated(); }

SecurityStats Pen::security_stats() const { return impl_->session->security_stats(); }

void Pen::change_key(const std::vector<std::uint8_t>& new_key) {
    protocol::crypto::Key key{};
    if (new_key.size() != key.size()) {
        throw InvalidArgumentError("a new pen key must have 32 bytes; this one has " +
                                   std::to_string(new_key.size()));
    }
    std::copy(new_key.begin(), new_key.end(), key.begin());
    try {
        impl_->session->change_key(key);
    } catch (...) {
        protocol::crypto::wipe(key);
        throw;
    }
    protocol::crypto::wipe(key);
}

}  // namespace penlink
