#include "protocol/cobs.hpp"

#include <cstring>

namespace penlink::protocol {
namespace {
// A code byte says "this many minus one data bytes follow"; 0xFF is the longest block and,
// unlike the others, is not followed by an implied zero.
constexpr std::uint8_t kMaxCode = 0xFF;

// Inputs this short have no run of 254 non-zero bytes, so no block is split: encoded byte i + 1
// is input byte i, except that each zero becomes the distance to the next zero (or to the end).
// Every frame penlink sends is this short (kMaxFrameSize is 248).
constexpr std::size_t kUnsplitMax = 253;

// Backwards, so each zero's distance is known when it is written: no bounds checks, no block
// bookkeeping, one pass.
std::size_t encode_unsplit(std::span<const std::uint8_t> in, std::uint8_t* out) {
    std::size_t next_zero = in.size();  // where the implied zero after the input sits
    for (std::size_t i = in.size(); i-- > 0;) {
        const std::uint8_t byte = in[i];
        // GCC makes this a branch; consecutive Status frames put their zeros in the same places,
        // so it predicts well (masks and conditional moves measured slower in bench_codec).
        const bool zero = byte == 0;
        out[i + 1] = zero ? static_cast<std::uint8_t>(next_zero - i) : byte;
        next_zero = zero ? i : next_zero;
    }
    out[0] = static_cast<std::uint8_t>(next_zero + 1);
    return in.size() + 1;
}

// Decoding such a short input: its bytes shifted by one, then a zero where each block but the
// last ends. A zero byte or a block past the end is invalid, as in the general loop below.
std::optional<std::size_t> decode_unsplit(std::span<const std::uint8_t> in, std::uint8_t* out) {
    if (std::memchr(in.data(), 0, in.size()) != nullptr) return std::nullopt;
    const std::size_t size = in.size() - 1;
    std::memcpy(out, in.data() + 1, size);
    std::size_t code_at = 0;
    for (;;) {
        const std::size_t next = code_at + in[code_at];  // a code of 0xFF always runs past
        if (next > in.size()) return std::nullopt;
        if (next == in.size()) return size;
        out[next - 1] = 0;
        code_at = next;
    }
}

}  // namespace

std::optional<std::size_t> cobs_encode(std::span<const std::uint8_t> in,
                                       std::span<std::uint8_t> out) {
    if (in.size() <= kUnsplitMax && out.size() > in.size()) {
        return encode_unsplit(in, out.data());
    }
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
    if (!in.empty() && in.size() <= kUnsplitMax + 1 && out.size() >= in.size() - 1) {
        return decode_unsplit(in, out.data());
    }
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
