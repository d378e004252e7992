#include "penlink/recorder.hpp"

#include <filesystem>
#include <map>

#include "api/pen_impl.hpp"
#include "protocol/frame.hpp"
#include "recording/recording_reader.hpp"
#include "recording/recording_writer.hpp"

namespace penlink {

struct Recorder::Impl {
    std::shared_ptr<recording::RecordingWriter> writer;
    bool stopped = false;
};

Recorder::Recorder() = default;
Recorder::Recorder(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
Recorder::Recorder(Recorder&& other) noexcept = default;

Recorder& Recorder::operator=(Recorder&& other) noexcept {
    if (this != &other) {
        try {
            stop();
        } catch (...) {
            // The old recording's write error cannot be reported from a move.
        }
        impl_ = std::move(other.impl_);
    }
    return *this;
}

Recorder::~Recorder() {
    try {
        stop();
    } catch (...) {
        // A destructor cannot report the write error; stop() does.
    }
}

bool Recorder::active() const { return impl_ && !impl_->stopped; }

const std::string& Recorder::path() const {
    static const std::string none;
    return impl_ ? impl_->writer->path() : none;
}

std::uint64_t Recorder::frames() const { return impl_ ? impl_->writer->frames() : 0; }

std::uint64_t Recorder::bytes_written() const { return impl_ ? impl_->writer->bytes_written() : 0; }

void Recorder::stop() {
    if (!impl_ || impl_->stopped) return;
    impl_->stopped = true;
    // The link may still hold the writer; once closed it takes no more bytes.
    impl_->writer->close();
}

Recorder Pen::start_recording(const std::string& path) {
    auto impl = std::make_shared<Recorder::Impl>();
    impl->writer = impl_->session->start_recording(path);
    return Recorder(std::move(impl));
}

std::optional<RecordingFile> Pen::active_recording() const {
    const auto writer = impl_->session->active_recording();
    if (!writer) return std::nullopt;
    return RecordingFile{writer->path(), writer->absolute_path(),
                         static_cast<std::int64_t>(writer->started_unix_us() / 1000)};
}

RecordingFile identify_recording(const std::string& path) {
    // Only the header is needed, but a recording is small next to the run it belongs to and
    // parse_recording's header checks are the one definition of "is a recording".
    const auto file = recording::read_recording(path);
    std::error_code no_throw;
    const auto absolute = std::filesystem::absolute(path, no_throw);
    return RecordingFile{path, no_throw ? path : absolute.lexically_normal().string(),
                         static_cast<std::int64_t>(file.started_unix_us / 1000)};
}

RecordingSummary summarize_recording(const std::string& path) {
    const auto file = recording::read_recording(path);
    RecordingSummary summary;
    summary.path = path;
    summary.description = file.description;
    summary.started_unix_ms = static_cast<std::int64_t>(file.started_unix_us / 1000);
    summary.warning = file.warning;
    std::map<std::uint8_t, std::uint64_t> by_type;
    for (const auto& record : file.records) {
        if (record.direction == recording::Direction::HostToPen)
            ++summary.frames_to_pen;
        else
            ++summary.frames_from_pen;
        summary.duration_s = static_cast<double>(record.time_us) / 1e6;
        protocol::DecodedFrame frame;
        const auto error = (record.flags & recording::kFlagNoDelimiter)
                               ? std::optional(protocol::FrameError::Oversized)
                               : protocol::FrameDecoder::decode(file.bytes_of(record), frame);
        if (error == protocol::FrameError::Unexpected) {
            ++summary.sealed_frames;
            continue;
        }
        if (error) {
            ++summary.undecodable_frames;
            continue;
        }
        if (frame.header.type == protocol::MessageType::Status) ++summary.status_frames;
        if (frame.header.type == protocol::MessageType::Event) ++summary.event_frames;
        ++by_type[static_cast<std::uint8_t>(frame.header.type)];
    }
    for (const auto& [type, count] : by_type)
        summary.frames_by_type.emplace_back(
            protocol::to_string(static_cast<protocol::MessageType>(type)), count);
    return summary;
}

}  // namespace penlink
