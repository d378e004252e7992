// Session recordings (docs/records.md): starting one mid-session, and the module descriptors
// every recording holds so that it reads without this process's descriptor cache.
#include <future>

#include "core/session.hpp"
#include "penlink/errors.hpp"

namespace penlink::core {

std::shared_ptr<recording::RecordingWriter> Session::start_recording(const std::string& path) {
    auto writer = std::make_shared<recording::RecordingWriter>(path, recording_description_);
    auto attached = std::make_shared<std::promise<std::string>>();
    auto outcome = attached->get_future();
    {
        std::lock_guard lock(post_mutex_);
        if (closed_.load()) {
            writer->close();
            throw ConnectionError(ErrorCode::NotConnected, "the pen at " + url_ + " is closed");
        }
        run_on_io([this, writer, attached] {
            const auto& current = recording_link_->writer();
            if (current && current->is_open()) {
                attached->set_value(current->path());
                return;
            }
            recording_link_->attach(writer);
            record_descriptors(*writer);
            attached->set_value({});
        });
    }
    const auto busy = outcome.get();
    if (!busy.empty()) {
        writer->close();
        throw InvalidArgumentError("the pen at " + url_ + " is already recording to '" + busy +
                                   "'; stop that recording first");
    }
    {
        std::lock_guard lock(recording_mutex_);
        latest_recording_ = writer;
    }
    return writer;
}

void Session::record_descriptors(recording::RecordingWriter& writer) {
    const auto now = recording::RecordingWriter::Clock::now();
    for (const SlotDescriptor& known : modules_.descriptor_texts())
        if (known.text) writer.descriptor(known.slot, *known.text, now);
}

}  // namespace penlink::core
