// A transport decorator that hands every byte in and out of the link it wraps to a
// RecordingWriter, when one is attached. The session wraps every link in one, so a recording
// can start and stop at any time; with none attached it costs one pointer test per chunk.
//
// Threads: as Transport; attach() and detach() on the io_context thread too.
#pragma once

#include <memory>

#include "recording/recording_writer.hpp"
#include "transport/transport.hpp"

namespace penlink::transport {

class RecordingTransport final : public Transport {
public:
    explicit RecordingTransport(std::unique_ptr<Transport> inner);

    void open(ReceiveHandler on_receive, ErrorHandler on_error,
              std::chrono::milliseconds timeout) override;
    void send(std::span<const std::uint8_t> bytes) override;
    void send_urgent(std::span<const std::uint8_t> frame) override;
    bool receive_now() override { return inner_->receive_now(); }
    bool input_waiting() const override { return inner_->input_waiting(); }
    void mute_reader(bool muted) override { inner_->mute_reader(muted); }
    std::size_t link_bytes_per_second() const override { return inner_->link_bytes_per_second(); }
    std::size_t link_payload_size() const override { return inner_->link_payload_size(); }
    unsigned status_share_percent() const override { return inner_->status_share_percent(); }
    std::chrono::milliseconds link_interval() const override { return inner_->link_interval(); }
    void close() override { inner_->close(); }
    std::string description() const override { return inner_->description(); }

    /// Records from now on into writer (replacing any other).
    void attach(std::shared_ptr<recording::RecordingWriter> writer);
    /// Stops recording into writer if it is the one attached; returns whether it was.
    bool detach(const recording::RecordingWriter* writer);
    /// The writer attached, if any.
    const std::shared_ptr<recording::RecordingWriter>& writer() const { return writer_; }

private:
    // Writes bytes to the recording, if one is attached (io thread).
    void record(recording::Direction direction, std::span<const std::uint8_t> bytes);

    std::unique_ptr<Transport> inner_;
    std::shared_ptr<recording::RecordingWriter> writer_;
};

}  // namespace penlink::transport
