// encode_status_payload: the status stream's encoder. Once out is known to hold the largest
// Status payload, fields are written without a bounds check each (UncheckedByteWriter), which
// is what a stream of thousands of frames a second spends its time on.
#include <array>
#include <utility>

#include "protocol/byte_io.hpp"
#include "protocol/messages.hpp"
#include "protocol/payload_layout.hpp"

namespace penlink::protocol {

using detail::ByteWriter;
using detail::fields;

std::optional<std::size_t> encode_status_payload(const Status& status,
                                                 std::span<std::uint8_t> out) {
    // The largest Status payload (every telemetry slot used), measured once with the layout
    // itself so no second copy of it exists.
    static const std::size_t largest = [] {
        Status full;
        full.telemetry_count = kMaxTelemetryValues;
        std::array<std::uint8_t, 256> scratch{};
        ByteWriter writer(scratch);
        fields(writer, std::as_const(full));
        return writer.ok() ? writer.size() : scratch.size() + 1;
    }();
    if (out.size() < largest) {
        ByteWriter writer(out);  // a short out: every field checked
        fields(writer, status);
        if (!writer.ok()) return std::nullopt;
        return writer.size();
    }
    detail::UncheckedByteWriter writer(out.data());
    fields(writer, status);
    if (!writer.ok()) {
        return std::nullopt;
    }
    return writer.size();
}

}  // namespace penlink::protocol
