// The session recording file: every frame in and out of one session, with a monotonic
// timestamp. docs/records.md ("Recording file") is the normative description; this is its one
// definition in code.
//
//   header:  magic[8] "PLREC\r\n\x1a" | version u16 | header_size u16 | started_unix_us u64 |
//            description_length u16 | description[description_length]
//   records: direction u8 | flags u8 | length u16 | time_us u64 | bytes[length]
//   direction 3 (version 2 on): a module descriptor the session uses, written by the SDK, not
//            a frame: bytes = slot u8 | descriptor_crc u32 | descriptor[length - 5]
//
// Integers are little-endian. header_size counts every header byte (so a later minor version may
// append fields a reader skips). time_us counts from the moment recording started, on the steady
// clock. bytes is one frame as it crossed the link: COBS-encoded, without its 0x00 delimiter.
// Descriptor records make a file self-contained: a descriptor the process had cached never
// crosses the link again, yet the timeline and replay:// need it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "protocol/frame.hpp"

namespace penlink::recording {

/// The "\r\n\x1a" tail, as PNG's, makes a file mangled by a text-mode copy fail the magic check.
inline constexpr std::array<std::uint8_t, 8> kMagic = {'P', 'L', 'R', 'E', 'C', '\r', '\n', 0x1a};
/// 2 added descriptor records; version 1 files (frames only) read as before.
inline constexpr std::uint16_t kVersion = 2;
/// magic, version, header_size, started_unix_us, description_length.
inline constexpr std::size_t kFixedHeaderSize = 8 + 2 + 2 + 8 + 2;
inline constexpr std::size_t kMaxDescriptionLength = 1024;
inline constexpr std::size_t kRecordHeaderSize = 1 + 1 + 2 + 8;
/// A record holds at most one wire frame (more bytes before a delimiter are cut into pieces of
/// this size, flagged kFlagNoDelimiter).
inline constexpr std::size_t kMaxRecordBytes = protocol::kMaxWireFrameSize;

/// The direction byte of a descriptor record (format version 2 on).
inline constexpr std::uint8_t kDescriptorRecord = 3;
/// slot u8 and descriptor_crc u32 before a descriptor record's text.
inline constexpr std::size_t kDescriptorPrefixSize = 1 + 4;
inline constexpr std::size_t kMaxDescriptorRecordBytes =
    kDescriptorPrefixSize + protocol::kMaxDescriptorSize;

enum class Direction : std::uint8_t {
    HostToPen = 1,
    PenToHost = 2,
};

/// Record flags.
inline constexpr std::uint8_t kFlagNoDelimiter = 0x01;  // bytes ran past kMaxRecordBytes
inline constexpr std::uint8_t kKnownFlags = kFlagNoDelimiter;

}  // namespace penlink::recording
