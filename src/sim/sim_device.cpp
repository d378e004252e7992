// SimDevice's life cycle, the host's link and what tests and the console read back; the
// mechanics (one timer that wakes only when something is due, the outgoing lanes) are in
// sim_device_impl.hpp, the simulated hardware inputs in sim_device_inputs.cpp.
#include "sim/sim_device.hpp"

#include "common/key_file.hpp"
#include "sim/sim_device_impl.hpp"

namespace penlink::sim {

SimDevice::SimDevice(boost::asio::io_context& io, SimConfig config, SendHandler send)
    : impl_(std::make_unique<Impl>(io, std::move(config), std::move(send))) {
    if (!impl_->config.key_file.empty()) {
        impl_->auth.on_key_changed(
            [path = impl_->config.key_file](const protocol::crypto::Key& key) {
                keys::save_pen_key(path, key);
            });
    }
}

SimDevice::~SimDevice() { *impl_->alive = false; }

void SimDevice::start() {
    if (impl_->running) return;
    impl_->running = true;
    impl_->stopped = false;
    // uptime continues where it was, so a restarted device keeps monotonic timestamps
    impl_->timer.set_uptime(impl_->model.uptime_us());
    impl_->schedule_soon();
}

void SimDevice::stop() {
    impl_->running = false;
    impl_->timer.disarm();
    impl_->stopped = true;
    impl_->outbox.discard();
}

void SimDevice::receive(std::span<const std::uint8_t> bytes) { impl_->receive(bytes); }

void SimDevice::on_drop_link(DropLinkHandler handler) { impl_->drop_link = std::move(handler); }

void SimDevice::set_status_sink(SendHandler sink) {
    impl_->outbox.set_status_sink(std::move(sink));
}

bool SimDevice::powered() const { return impl_->powered; }
void SimDevice::end_session() {
    impl_->catch_up();
    impl_->end_session();
    impl_->schedule();
}

const SimConfig& SimDevice::config() const { return impl_->config; }

void SimDevice::reset_link() { impl_->forget_host(); }

bool SimDevice::controller_active() const {
    impl_->catch_up();  // "heard from lately" is a question about now
    return impl_->powered && impl_->admission.controller_alive();
}

void SimDevice::receive_other_link(std::span<const std::uint8_t> bytes,
                                   protocol::FrameDecoder& decoder, const SendHandler& reply) {
    if (!impl_->can_send()) return;
    impl_->catch_up();
    decoder.feed(
        bytes,
        [this, &reply](const protocol::DecodedFrame& frame) {
            impl_->on_other_link_frame(frame, reply);
        },
        [](protocol::FrameError) {});
    impl_->flush();
    impl_->schedule();
}

std::uint32_t SimDevice::rejected_frames() const { return impl_->auth.rejected(); }
bool SimDevice::authenticated() const { return impl_->auth.authenticated(); }

std::uint64_t SimDevice::decode_errors() const { return impl_->decode_errors; }
std::uint64_t SimDevice::status_dropped() const { return impl_->status_dropped; }
const PenModel& SimDevice::model() const {
    impl_->catch_up();
    return impl_->model;
}
std::uint64_t SimDevice::timer_wakeups() const { return impl_->timer.wakeups(); }
std::uint64_t SimDevice::next_wakeup_us() const { return impl_->timer.armed_at(); }

}  // namespace penlink::sim
