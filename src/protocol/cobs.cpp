#include "protocol/cobs.hpp"

namespace penlink::protocol {
namespace {
// A code byte says "this many minus one data bytes follow"; 0xFF is the longest block and,
// unlike the others, is not followed by an implied zero.
constexpr std::uint8_t kMaxCode = 0xFF;
}  // namespace

std::optional<std::size_t> cobs_encode(std::span<const std::uint8_t> in,
                                       std::span<std::uint8_t> out) {
    if (out.empty()) {
        return std::nullopt;
    }
    std::size_t code_pos = 0;  // where the current block's code byte goes
    std::size_t out_pos = 1;
    std::uint8_t code = 1;
    for (std::size_t i = 0; i < in.size(); ++i) {
        const std::uint8_t byte = in[i];
        if (byte == 0) {
            out[code_pos] = code;
            if (out_pos >= out.size()) {
                return std::nullopt;
            }
            code_pos = out_pos++;
            code = 1;
            continue;
        }
        if (out_pos >= out.size()) {
            return std::nullopt;
        }
        out[out_pos++] = byte;
        ++code;
        // A full block ends without an implied zero. Only open a new block if input remains:
        // input that ends exactly on a full block needs no trailing 0x01 code.
        if (code == kMaxCode && i + 1 < in.size()) {
            out[code_pos] = code;
            if (out_pos >= out.size()) {
                return std::nullopt;
            }
            code_pos = out_pos++;
            code = 1;
        }
    }
    out[code_pos] = code;
    return out_pos;
}

std::optional<std::size_t> cobs_decode(std::span<const std::uint8_t> in,
                                       std::span<std::uint8_t> out) {
    std::size_t in_pos = 0;
    std::size_t out_pos = 0;
    while (in_pos < in.size()) {
        const std::uint8_t code = in[in_pos++];
        if (code == 0) {
            return std::nullopt;
        }
        const std::size_t block = code - 1u;
        if (block > in.size() - in_pos || block > out.size() - out_pos) {
            return std::nullopt;
        }
        for (std::size_t i = 0; i < block; ++i) {
            const std::uint8_t byte = in[in_pos++];
            if (byte == 0) {
                return std::nullopt;
            }
            out[out_pos++] = byte;
        }
        // Every block but a full one stands for "data then a zero"; the final zero is the
        // one the encoder conceptually appended, so it is not emitted.
        if (code != kMaxCode && in_pos < in.size()) {
            if (out_pos >= out.size()) {
                return std::nullopt;
            }
            out[out_pos++] = 0;
        }
    }
    return out_pos;
}

}  // namespace penlink::protocol
