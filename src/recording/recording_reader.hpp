// Reads a session recording (recording_format.hpp). Pure: bytes in, records out; never throws
// past a bad header and never reads out of bounds, whatever the bytes (fuzz/fuzz_recording).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "recording/recording_format.hpp"

namespace penlink::recording {

struct Record {
    Direction direction = Direction::HostToPen;
    std::uint8_t flags = 0;
    std::uint64_t time_us = 0;
    std::size_t offset = 0;  // of the frame bytes within Recording::data
    std::size_t size = 0;
};

/// A module descriptor the session used (a descriptor record, format version 2 on).
struct RecordedDescriptor {
    std::uint64_t time_us = 0;
    std::uint8_t slot = 0;
    std::uint32_t crc = 0;   // CRC-32 of the text, checked by the reader
    std::size_t offset = 0;  // of the descriptor text within Recording::data
    std::size_t size = 0;
};

struct Recording {
    std::string source;  // the file name, for messages
    std::uint16_t version = 0;
    std::uint64_t started_unix_us = 0;
    std::string description;
    std::vector<std::uint8_t> data;
    std::vector<Record> records;                  // frames only, in file order
    std::vector<RecordedDescriptor> descriptors;  // in file order
    /// Empty, or why reading stopped before the end of the file (a truncated last record, a
    /// record that breaks the format): every record before it is in records.
    std::string warning;
    /// The byte offset where reading stopped when warning is set (0 otherwise).
    std::size_t warning_offset = 0;

    std::span<const std::uint8_t> bytes_of(const Record& record) const {
        return {data.data() + record.offset, record.size};
    }
    std::string text_of(const RecordedDescriptor& descriptor) const {
        return {reinterpret_cast<const char*>(data.data()) + descriptor.offset, descriptor.size};
    }
};

/// Parses a whole recording held in memory. Throws penlink::InvalidArgumentError naming source
/// if the header is not a penlink recording (magic, short header) and NotSupportedError if its
/// version is newer than kVersion. Problems after the header end the records and set warning.
Recording parse_recording(std::vector<std::uint8_t> data, const std::string& source);

/// Reads and parses path. Throws InvalidArgumentError naming the file if it cannot be read.
Recording read_recording(const std::string& path);

}  // namespace penlink::recording
