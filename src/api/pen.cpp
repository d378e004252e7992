#include "penlink/pen.hpp"

#include "api/pen_impl.hpp"
#include "core/conversions.hpp"
#include "core/limits.hpp"

namespace penlink {
namespace {

void check_options(const ConnectOptions& options) {
    const auto positive = [](const char* name, std::chrono::milliseconds value) {
        if (value.count() <= 0)
            throw InvalidArgumentError(std::string(name) + " must be positive, got " +
                                       std::to_string(value.count()) + " ms");
    };
    positive("connect_timeout", options.connect_timeout);
    if (options.command_timeout.count() < 0)
        throw InvalidArgumentError(
            "command_timeout must not be negative (0 = suited to the "
            "link), got " +
            std::to_string(options.command_timeout.count()) + " ms");
    if (options.command_retries < 0 || options.command_retries > 100)
        throw InvalidArgumentError("command_retries must be 0..100, got " +
                                   std::to_string(options.command_retries));
    if (options.heartbeat_interval.count() < 0 || options.link_timeout.count() < 0)
        throw InvalidArgumentError("heartbeat_interval and link_timeout must not be negative");
    if (options.idle_status_rate_hz < 0)
        throw InvalidArgumentError("idle_status_rate_hz must not be negative, got " +
                                   std::to_string(options.idle_status_rate_hz));
    if (options.callback_queue_capacity < 1 || options.callback_queue_capacity > 1'000'000)
        throw InvalidArgumentError("callback_queue_capacity must be 1..1000000, got " +
                                   std::to_string(options.callback_queue_capacity));
}

}  // namespace

std::unique_ptr<Pen> Pen::connect(const std::string& url, const ConnectOptions& options) {
    check_options(options);
    auto session = std::make_shared<core::Session>(core::Session::link_for_url(url), url, options);
    session->connect();  // on failure the session closes itself as it goes out of scope
    return std::unique_ptr<Pen>(new Pen(std::make_unique<Impl>(std::move(session))));
}

Pen::Pen(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Pen::~Pen() { close(); }

void Pen::close() { impl_->session->close(); }
void Pen::reconnect() { impl_->session->connect(); }
const std::string& Pen::url() const { return impl_->session->url(); }
ConnectionState Pen::connection_state() const { return impl_->session->state(); }
const DeviceInfo& Pen::info() const { return impl_->session->device_info(); }
const Capabilities& Pen::capabilities() const { return impl_->session->capabilities(); }

void Pen::set_depth_limit(Depth limit) { impl_->session->set_depth_limit(limit); }
Depth Pen::depth_limit() const { return impl_->depth_limit(); }

Subscription Pen::subscribe_status(StatusHandler handler, std::int32_t rate_hz) {
    return impl_->session->subscribe_status(std::move(handler), rate_hz);
}
Subscription Pen::subscribe_events(EventHandler handler) {
    return impl_->session->subscribe_events(std::move(handler));
}
Subscription Pen::subscribe_connection_state(ConnectionStateHandler handler) {
    return impl_->session->subscribe_connection_state(std::move(handler));
}

PenSettings Pen::read_settings() { return core::to_settings(impl_->session->read_settings()); }

std::optional<Status> Pen::latest_status() const { return impl_->session->latest_status(); }
std::uint64_t Pen::dropped_status_frames() const { return impl_->session->dropped_status_frames(); }
std::uint64_t Pen::received_status_frames() const {
    return impl_->session->received_status_frames();
}

}  // namespace penlink
