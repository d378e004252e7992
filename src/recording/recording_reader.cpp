#include "recording/recording_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "penlink/errors.hpp"
#include "protocol/crc.hpp"

namespace penlink::recording {
namespace {

std::uint16_t get16(const std::uint8_t* in) {
    return static_cast<std::uint16_t>(in[0] | (in[1] << 8));
}

std::uint32_t get32(const std::uint8_t* in) {
    return static_cast<std::uint32_t>(in[0]) | (static_cast<std::uint32_t>(in[1]) << 8) |
           (static_cast<std::uint32_t>(in[2]) << 16) | (static_cast<std::uint32_t>(in[3]) << 24);
}

std::uint64_t get64(const std::uint8_t* in) {
    std::uint64_t value = 0;
    for (int i = 7; i >= 0; --i) value = (value << 8) | in[i];
    return value;
}

// Checks a descriptor record whose header and bytes are in the file; empty if it is sound.
std::string check_descriptor(const std::vector<std::uint8_t>& bytes, std::size_t at,
                             std::uint8_t flags, std::size_t size, RecordedDescriptor& out) {
    if (flags != 0) return "descriptor record flags " + std::to_string(flags) + " are not 0";
    if (size <= kDescriptorPrefixSize || size > kMaxDescriptorRecordBytes) {
        return "descriptor record length " + std::to_string(size) + " is outside " +
               std::to_string(kDescriptorPrefixSize + 1) + ".." +
               std::to_string(kMaxDescriptorRecordBytes) + " bytes";
    }
    const std::uint8_t* record = &bytes[at + kRecordHeaderSize];
    out.slot = record[0];
    out.crc = get32(record + 1);
    out.offset = at + kRecordHeaderSize + kDescriptorPrefixSize;
    out.size = size - kDescriptorPrefixSize;
    const auto crc = protocol::crc32(std::span(&bytes[out.offset], out.size));
    if (crc != out.crc) {
        return "descriptor record of slot " + std::to_string(out.slot) + " has CRC-32 " +
               std::to_string(crc) + ", not the " + std::to_string(out.crc) + " it states";
    }
    return {};
}

}  // namespace

Recording parse_recording(std::vector<std::uint8_t> data, const std::string& source) {
    Recording out;
    out.source = source;
    out.data = std::move(data);
    const auto& bytes = out.data;
    if (bytes.size() < kMagic.size() || !std::equal(kMagic.begin(), kMagic.end(), bytes.begin())) {
        throw InvalidArgumentError("'" + source +
                                   "' is not a penlink session recording (it does not start with "
                                   "the PLREC magic)");
    }
    if (bytes.size() < kFixedHeaderSize) {
        throw InvalidArgumentError(
            "'" + source + "' is a truncated penlink recording: its header " + "has " +
            std::to_string(bytes.size()) + " of " + std::to_string(kFixedHeaderSize) + " bytes");
    }
    out.version = get16(&bytes[8]);
    if (out.version == 0 || out.version > kVersion) {
        throw NotSupportedError("'" + source + "' is a penlink recording of format version " +
                                std::to_string(out.version) +
                                "; this penlink reads versions 1 to " + std::to_string(kVersion) +
                                " (update penlink)");
    }
    const std::size_t header_size = get16(&bytes[10]);
    out.started_unix_us = get64(&bytes[12]);
    const std::size_t description_length = get16(&bytes[20]);
    if (description_length > kMaxDescriptionLength ||
        header_size < kFixedHeaderSize + description_length || header_size > bytes.size()) {
        throw InvalidArgumentError("'" + source + "' has a broken recording header (header size " +
                                   std::to_string(header_size) + " bytes, description " +
                                   std::to_string(description_length) + " bytes, file " +
                                   std::to_string(bytes.size()) + " bytes)");
    }
    out.description.assign(
        bytes.begin() + kFixedHeaderSize,
        bytes.begin() + static_cast<std::ptrdiff_t>(kFixedHeaderSize + description_length));
    std::size_t at = header_size;
    std::uint64_t previous_time = 0;
    while (at < bytes.size()) {
        const auto where = " (record " +
                           std::to_string(out.records.size() + out.descriptors.size() + 1) +
                           " at byte " + std::to_string(at) + ")";
        if (bytes.size() - at < kRecordHeaderSize) {
            out.warning = "the recording ends inside a record header" + where +
                          ": it was cut short; read up to the last whole record";
            out.warning_offset = at;
            break;
        }
        Record record;
        const std::uint8_t direction = bytes[at];
        record.flags = bytes[at + 1];
        record.size = get16(&bytes[at + 2]);
        record.time_us = get64(&bytes[at + 4]);
        if (direction == kDescriptorRecord && out.version >= 2) {
            RecordedDescriptor descriptor;
            descriptor.time_us = record.time_us;
            std::string why;
            if (record.time_us < previous_time) {
                why = "record time " + std::to_string(record.time_us) +
                      " us goes back before the previous record's " +
                      std::to_string(previous_time) + " us";
            } else if (bytes.size() - at - kRecordHeaderSize < record.size) {
                out.warning = "the recording ends inside a descriptor record" + where +
                              ": it was cut short; read up to the last whole record";
                out.warning_offset = at;
                break;
            } else {
                why = check_descriptor(bytes, at, record.flags, record.size, descriptor);
            }
            if (!why.empty()) {
                out.warning = why + where;
                out.warning_offset = at;
                break;
            }
            previous_time = record.time_us;
            out.descriptors.push_back(descriptor);
            at += kRecordHeaderSize + record.size;
            continue;
        }
        if (direction != static_cast<std::uint8_t>(Direction::HostToPen) &&
            direction != static_cast<std::uint8_t>(Direction::PenToHost)) {
            out.warning = "record direction " + std::to_string(direction) +
                          " is not 1 (host to pen), 2 (pen to host) or, from format version 2, 3 "
                          "(module descriptor)" +
                          where;
            out.warning_offset = at;
            break;
        }
        if ((record.flags & ~kKnownFlags) != 0 || record.size == 0 ||
            record.size > kMaxRecordBytes) {
            out.warning = "record length " + std::to_string(record.size) + " is outside 1.." +
                          std::to_string(kMaxRecordBytes) + " bytes, or its flags are unknown" +
                          where;
            out.warning_offset = at;
            break;
        }
        if (record.time_us < previous_time) {
            out.warning = "record time " + std::to_string(record.time_us) +
                          " us goes back before the previous record's " +
                          std::to_string(previous_time) + " us" + where;
            out.warning_offset = at;
            break;
        }
        if (bytes.size() - at - kRecordHeaderSize < record.size) {
            out.warning = "the recording ends inside a record's frame bytes" + where +
                          ": it was cut short; read up to the last whole record";
            out.warning_offset = at;
            break;
        }
        record.direction = static_cast<Direction>(direction);
        record.offset = at + kRecordHeaderSize;
        previous_time = record.time_us;
        out.records.push_back(record);
        at += kRecordHeaderSize + record.size;
    }
    return out;
}

Recording read_recording(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        throw InvalidArgumentError("cannot read the recording file '" + path +
                                   "': " + std::strerror(errno));
    }
    std::vector<std::uint8_t> data((std::istreambuf_iterator<char>(file)),
                                   std::istreambuf_iterator<char>());
    return parse_recording(std::move(data), path);
}

}  // namespace penlink::recording
