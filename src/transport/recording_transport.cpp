#include "transport/recording_transport.hpp"

namespace penlink::transport {

RecordingTransport::RecordingTransport(std::unique_ptr<Transport> inner)
    : inner_(std::move(inner)) {}

void RecordingTransport::open(ReceiveHandler on_receive, ErrorHandler on_error,
                              std::chrono::milliseconds timeout) {
    // The handler runs on the io thread, where writer_ is only ever touched.
    inner_->open(
        [this, on_receive = std::move(on_receive)](std::span<const std::uint8_t> bytes) {
            record(recording::Direction::PenToHost, bytes);
            on_receive(bytes);
        },
        std::move(on_error), timeout);
}

void RecordingTransport::send(std::span<const std::uint8_t> bytes) {
    record(recording::Direction::HostToPen, bytes);
    inner_->send(bytes);
}

void RecordingTransport::send_urgent(std::span<const std::uint8_t> frame) {
    record(recording::Direction::HostToPen, frame);
    inner_->send_urgent(frame);
}

void RecordingTransport::record(recording::Direction direction,
                                std::span<const std::uint8_t> bytes) {
    if (writer_) writer_->bytes(direction, bytes, recording::RecordingWriter::Clock::now());
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
