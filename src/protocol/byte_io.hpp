// Internal to src/protocol: little-endian cursor over a caller-owned buffer, one for writing
// and one for reading. Both expose the same field(...) calls so each message's field order is
// written down once (see payload_codec.cpp) and used for both directions.
//
// Neither throws: a write past the end or a read past the end (or of an invalid enum) just
// clears ok(), and the caller checks once at the end.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <type_traits>

#include "protocol/messages.hpp"

namespace penlink::protocol::detail {

/// Whether a raw byte names a defined value of enum E. Inline: the decoder asks per field.
template <typename E>
bool is_valid_enum(std::uint8_t raw);
template <>
inline bool is_valid_enum<MessageType>(std::uint8_t raw) {
    return (raw >= 0x01 && raw <= 0x16) || (raw >= 0x80 && raw <= 0x89);
}
template <>
inline bool is_valid_enum<NackReason>(std::uint8_t raw) {
    return raw >= 1 && raw <= 16;
}
template <>
inline bool is_valid_enum<Field>(std::uint8_t raw) {
    return raw <= 14;
}
template <>
inline bool is_valid_enum<LimitKind>(std::uint8_t raw) {
    return raw <= 7;
}
template <>
inline bool is_valid_enum<PenState>(std::uint8_t raw) {
    return raw <= 4;
}
template <>
inline bool is_valid_enum<RfPolarity>(std::uint8_t raw) {
    return raw <= 1;
}
template <>
inline bool is_valid_enum<LedMode>(std::uint8_t raw) {
    return raw <= 1;
}
template <>
inline bool is_valid_enum<EventKind>(std::uint8_t raw) {
    return raw >= 1 && raw <= 11;
}
template <>
inline bool is_valid_enum<AuthMode>(std::uint8_t raw) {
    return raw <= 1;
}

/// How many bytes a field of type T takes on the wire: bools and enums one, integers their own
/// width.
template <typename T>
constexpr std::size_t wire_size() {
    if constexpr (std::is_same_v<T, bool>) {
        return 1;
    } else if constexpr (std::is_enum_v<T>) {
        static_assert(sizeof(T) == 1, "enums travel as u8");
        return 1;
    } else {
        static_assert(std::is_integral_v<T>);
        return sizeof(T);
    }
}

/// A field's value as the unsigned number whose low wire_size<T>() bytes travel; negative
/// integers go through their unsigned type, so they arrive two's-complement intact.
template <typename T>
std::uint32_t to_wire(const T& value) {
    if constexpr (std::is_same_v<T, bool>) {
        return value ? 1u : 0u;
    } else if constexpr (std::is_enum_v<T>) {
        return static_cast<std::uint8_t>(value);
    } else {
        return static_cast<std::uint32_t>(static_cast<std::make_unsigned_t<T>>(value));
    }
}

/// Stores the low `bytes` bytes of value at to, least significant first.
inline void store_le(std::uint8_t* to, std::uint32_t value, std::size_t bytes) {
    if constexpr (std::endian::native == std::endian::little) {
        std::memcpy(to, &value, bytes);
    } else {
        for (std::size_t i = 0; i < bytes; ++i) to[i] = static_cast<std::uint8_t>(value >> (8 * i));
    }
}

/// Reads `bytes` bytes at from, least significant first.
inline std::uint32_t load_le(const std::uint8_t* from, std::size_t bytes) {
    std::uint32_t value = 0;
    if constexpr (std::endian::native == std::endian::little) {
        std::memcpy(&value, from, bytes);
    } else {
        for (std::size_t i = 0; i < bytes; ++i)
            value |= static_cast<std::uint32_t>(from[i]) << (8 * i);
    }
    return value;
}

class ByteWriter {
public:
    explicit ByteWriter(std::span<std::uint8_t> out) : out_(out) {}

    template <typename T>
    void field(const T& value) {
        put(to_wire(value), wire_size<T>());
    }

    /// u8 length + bytes. Longer than max_length is an error, never a silent truncation.
    void string(const std::string& value, std::size_t max_length) {
        if (value.size() > max_length) {
            ok_ = false;
            return;
        }
        put(static_cast<std::uint32_t>(value.size()), 1);
        for (char c : value) {
            put(static_cast<std::uint8_t>(c), 1);
        }
    }

    /// A fixed number of raw bytes.
    template <std::size_t N>
    void bytes(const std::array<std::uint8_t, N>& value) {
        for (std::uint8_t b : value) put(b, 1);
    }

    /// Fields after this point may be missing from an older sender's payload. A writer always
    /// writes them.
    void optional_tail() {}

    bool ok() const { return ok_; }
    void fail() { ok_ = false; }
    std::size_t size() const { return pos_; }

private:
    // One store per field, through locals: a byte store may alias this writer, so a per-byte
    // loop on the members reloads them after every byte (the status stream's hot path).
    void put(std::uint32_t value, std::size_t bytes) {
        const std::size_t pos = pos_;
        if (!ok_ || out_.size() - pos < bytes) {
            ok_ = false;
            return;
        }
        store_le(out_.data() + pos, value, bytes);
        pos_ = pos + bytes;
    }

    std::span<std::uint8_t> out_;
    std::size_t pos_ = 0;
    bool ok_ = true;
};

/// ByteWriter's field(...) without its bounds checks, for a caller that made sure out holds the
/// message's largest encoding (encode_status_payload): one store per field, which is what the
/// status stream's encoder spends its time on.
class UncheckedByteWriter {
public:
    explicit UncheckedByteWriter(std::uint8_t* out) : begin_(out), cursor_(out) {}

    template <typename T>
    void field(const T& value) {
        put(to_wire(value), wire_size<T>());
    }

    void optional_tail() {}
    bool ok() const { return ok_; }
    void fail() { ok_ = false; }
    std::size_t size() const { return static_cast<std::size_t>(cursor_ - begin_); }

private:
    void put(std::uint32_t value, std::size_t bytes) {
        std::uint8_t* to = cursor_;
        store_le(to, value, bytes);
        cursor_ = to + bytes;
    }

    std::uint8_t* begin_;
    std::uint8_t* cursor_;
    bool ok_ = true;
};

class ByteReader {
public:
    explicit ByteReader(std::span<const std::uint8_t> in) : in_(in) {}

    template <typename T>
    void field(T& value) {
        if constexpr (std::is_same_v<T, bool>) {
            const std::uint32_t raw = get(1);
            if (raw > 1) {
                ok_ = false;
            }
            value = raw == 1;
        } else if constexpr (std::is_enum_v<T>) {
            const auto raw = static_cast<std::uint8_t>(get(1));
            if (!is_valid_enum<T>(raw)) {
                ok_ = false;
            }
            value = static_cast<T>(raw);
        } else {
            static_assert(std::is_integral_v<T>);
            // Through the unsigned type so negative values come back two's-complement intact.
            value = static_cast<T>(static_cast<std::make_unsigned_t<T>>(get(sizeof(T))));
        }
    }

    void string(std::string& value, std::size_t max_length) {
        const std::size_t length = get(1);
        if (!ok_ || length > max_length || in_.size() - pos_ < length) {
            ok_ = false;
            return;
        }
        value.assign(reinterpret_cast<const char*>(in_.data() + pos_), length);
        pos_ += length;
    }

    template <std::size_t N>
    void bytes(std::array<std::uint8_t, N>& value) {
        for (auto& b : value) b = static_cast<std::uint8_t>(get(1));
    }

    /// Fields after this point may be missing from an older sender's payload: if the payload
    /// ends exactly here, the rest keep their defaults.
    void optional_tail() {
        if (ok_ && pos_ == in_.size()) {
            ended_ = true;
        }
    }

    bool ok() const { return ok_; }
    void fail() { ok_ = false; }

private:
    std::uint32_t get(std::size_t bytes) {
        if (ended_) {
            return 0;
        }
        if (!ok_ || in_.size() - pos_ < bytes) {
            ok_ = false;
            return 0;
        }
        const std::uint8_t* from = in_.data() + pos_;
        pos_ += bytes;
        return load_le(from, bytes);
    }

    std::span<const std::uint8_t> in_;
    std::size_t pos_ = 0;
    bool ok_ = true;
    bool ended_ = false;
};

}  // namespace penlink::protocol::detail
