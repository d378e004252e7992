#include "recording/recording_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "penlink/errors.hpp"
#include "protocol/crc.hpp"

namespace penlink::recording {
namespace {

constexpr std::size_t kBufferSize = 64 * 1024;
constexpr auto kFlushInterval = std::chrono::seconds(1);

void put16(std::uint8_t* out, std::uint16_t value) {
    out[0] = static_cast<std::uint8_t>(value);
    out[1] = static_cast<std::uint8_t>(value >> 8);
}

void put64(std::uint8_t* out, std::uint64_t value) {
    for (int i = 0; i < 8; ++i) out[i] = static_cast<std::uint8_t>(value >> (8 * i));
}

}  // namespace

RecordingWriter::RecordingWriter(const std::string& path, const std::string& description)
    : path_(path), started_(Clock::now()), last_flush_(started_) {
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) {
        throw InvalidArgumentError("cannot create the recording file '" + path +
                                   "': " + std::strerror(errno));
    }
    buffer_.reserve(kBufferSize);
    const std::string text = description.substr(0, kMaxDescriptionLength);
    const auto header_size = static_cast<std::uint16_t>(kFixedHeaderSize + text.size());
    const auto wall_us = std::chrono::duration_cast<std::chrono::microseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
    std::array<std::uint8_t, kFixedHeaderSize> header{};
    std::copy(kMagic.begin(), kMagic.end(), header.begin());
    put16(&header[8], kVersion);
    put16(&header[10], header_size);
    started_unix_us_ = static_cast<std::uint64_t>(wall_us);
    std::error_code no_throw;
    const auto absolute = std::filesystem::absolute(path, no_throw);
    absolute_path_ = no_throw ? path : absolute.lexically_normal().string();
    put64(&header[12], started_unix_us_);
    put16(&header[20], static_cast<std::uint16_t>(text.size()));
    buffer_.insert(buffer_.end(), header.begin(), header.end());
    buffer_.insert(buffer_.end(), text.begin(), text.end());
    write_out();
}

RecordingWriter::~RecordingWriter() {
    try {
        close();
    } catch (...) {
        // close() reports a failed final write; a destructor can only drop it (error() keeps it).
    }
}

void RecordingWriter::bytes(Direction direction, std::span<const std::uint8_t> bytes,
                            Clock::time_point now) {
    std::lock_guard lock(mutex_);
    if (fd_ < 0 || failed_.load(std::memory_order_relaxed)) return;
    Pending& frame = pending_[direction == Direction::HostToPen ? 0 : 1];
    const std::uint8_t* at = bytes.data();
    const std::uint8_t* const end = at + bytes.size();
    while (at < end) {
        const auto* zero = static_cast<const std::uint8_t*>(std::memchr(at, 0, end - at));
        const std::uint8_t* stop = zero ? zero : end;
        while (at < stop) {
            const std::size_t room = frame.bytes.size() - frame.size;
            const std::size_t take = std::min<std::size_t>(room, stop - at);
            std::memcpy(frame.bytes.data() + frame.size, at, take);
            frame.size += take;
            at += take;
            if (frame.size == frame.bytes.size()) emit(direction, frame, kFlagNoDelimiter, now);
        }
        if (zero) {
            if (frame.size > 0) emit(direction, frame, 0, now);
            ++at;
        }
    }
    if (now - last_flush_ >= kFlushInterval) {
        write_out();
        last_flush_ = now;
    }
}

void RecordingWriter::emit(Direction direction, Pending& frame, std::uint8_t flags,
                           Clock::time_point now) {
    if (buffer_.size() + kRecordHeaderSize + frame.size > kBufferSize) write_out();
    std::array<std::uint8_t, kRecordHeaderSize> header{};
    header[0] = static_cast<std::uint8_t>(direction);
    header[1] = flags;
    put16(&header[2], static_cast<std::uint16_t>(frame.size));
    put64(&header[4], time_us_at(now));
    buffer_.insert(buffer_.end(), header.begin(), header.end());
    buffer_.insert(buffer_.end(), frame.bytes.begin(), frame.bytes.begin() + frame.size);
    frame.size = 0;
    frames_.fetch_add(1, std::memory_order_relaxed);
}

std::uint64_t RecordingWriter::time_us_at(Clock::time_point now) {
    const auto time_us = std::chrono::duration_cast<std::chrono::microseconds>(now - started_);
    last_time_us_ = std::max(
        last_time_us_, static_cast<std::uint64_t>(std::max<std::int64_t>(0, time_us.count())));
    return last_time_us_;
}

void RecordingWriter::descriptor(std::uint8_t slot, std::string_view text, Clock::time_point now) {
    if (text.empty() || text.size() > protocol::kMaxDescriptorSize) return;
    const auto crc =
        protocol::crc32(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
    std::lock_guard lock(mutex_);
    if (fd_ < 0 || failed_.load(std::memory_order_relaxed)) return;
    const auto known = descriptors_.find(slot);
    if (known != descriptors_.end() && known->second == crc) return;
    descriptors_[slot] = crc;
    const std::size_t length = kDescriptorPrefixSize + text.size();
    if (buffer_.size() + kRecordHeaderSize + length > kBufferSize) write_out();
    std::array<std::uint8_t, kRecordHeaderSize + kDescriptorPrefixSize> header{};
    header[0] = kDescriptorRecord;
    header[1] = 0;
    put16(&header[2], static_cast<std::uint16_t>(length));
    put64(&header[4], time_us_at(now));
    header[kRecordHeaderSize] = slot;
    for (int i = 0; i < 4; ++i)
        header[kRecordHeaderSize + 1 + i] = static_cast<std::uint8_t>(crc >> (8 * i));
    // At most 16 KiB next to a 64 KiB buffer: it fits without growing the buffer.
    buffer_.insert(buffer_.end(), header.begin(), header.end());
    buffer_.insert(buffer_.end(), text.begin(), text.end());
}

void RecordingWriter::flush() {
    std::lock_guard lock(mutex_);
    if (fd_ >= 0) write_out();
    last_flush_ = Clock::now();
}

void RecordingWriter::write_out() {
    std::size_t done = 0;
    while (done < buffer_.size() && !failed_.load(std::memory_order_relaxed)) {
        const ssize_t wrote = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
        if (wrote < 0 && errno == EINTR) continue;
        if (wrote <= 0) {
            error_ = "writing the recording file '" + path_ + "' failed: " + std::strerror(errno) +
                     "; recording stopped";
            failed_ = true;
            break;
        }
        done += static_cast<std::size_t>(wrote);
    }
    bytes_written_.fetch_add(done, std::memory_order_relaxed);
    buffer_.clear();
}

void RecordingWriter::close() {
    std::lock_guard lock(mutex_);
    close_locked();
}

void RecordingWriter::close_locked() {
    if (fd_ < 0) return;
    write_out();
    ::close(fd_);
    fd_ = -1;
    if (failed_) throw InvalidArgumentError(error_);
}

bool RecordingWriter::is_open() const {
    std::lock_guard lock(mutex_);
    return fd_ >= 0;
}

std::string RecordingWriter::error() const {
    std::lock_guard lock(mutex_);
    return failed_.load() ? error_ : std::string();
}

}  // namespace penlink::recording
