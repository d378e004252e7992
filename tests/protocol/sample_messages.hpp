// Messages shared by the protocol tests: the test vectors published in docs/protocol.md and
// a typical fully-equipped pen's Info.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "protocol/messages.hpp"

namespace penlink::protocol::test {

struct NamedVector {
    std::string name;  // the "### " heading in docs/protocol.md's Test vectors section
    std::string description;
    std::uint16_t seq = 0;
    Message message;
};

/// A pen with RF and three LED channels (the Info test vector).
Info full_info();

/// Every test vector the spec publishes, in document order.
const std::vector<NamedVector>& doc_vectors();

}  // namespace penlink::protocol::test
