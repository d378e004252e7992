#include "transport/recording_transport.hpp"

namespace penlink::transport {

RecordingTransport::RecordingTransport(std::unique_ptr<Transport> inner)
    : inner_(std::move(inner)) {}

void RecordingTransport::open(ReceiveHandler on_receive, ErrorHandler on_error,
                              std::chrono::milliseconds timeout) {
    // The handler runs on the io thread, where writer_ is only ever touched.
    inner_->open(
        [this, on_receive = std::move(on_receive)](std::span<const std::uint8_t> bytes) {
            if (writer_)
                writer_->bytes(recording::Direction::PenToHost, bytes,
                               recording::RecordingWriter::Clock::now());
            on_receive(bytes);
        },
        std::move(on_error), timeout);
}

void RecordingTransport::send(std::span<const std::uint8_t> bytes) {
    if (writer_)
        writer_->bytes(recording::Direction::HostToPen, bytes,
                       recording::RecordingWriter::Clock::now());
    inner_->send(bytes);
}

void RecordingTransport::send_urgent(std::span<const std::uint8_t> frame) {
    if (writer_)
        writer_->bytes(recording::Direction::HostToPen, frame,
                       recording::RecordingWriter::Clock::now());
    inner_->send_urgent(frame);
}

void RecordingTransport::attach(std::shared_ptr<recording::RecordingWriter> writer) {
    writer_ = std::move(writer);
}

bool RecordingTransport::detach(const recording::RecordingWriter* writer) {
    if (!writer_ || writer_.get() != writer) return false;
    writer_->flush();
    writer_.reset();
    return true;
}

}  // namespace penlink::transport
