#include "fake_pen.hpp"

#include <algorithm>
#include <utility>

#include <boost/asio/post.hpp>

namespace penlink::test {

protocol::Info fake_pen_info() {
    protocol::Info info;
    info.model = "FAKE-PEN";
    info.serial = "FP0001";
    info.fw_major = 1;
    info.fw_minor = 2;
    info.fw_patch = 3;
    info.depth_min_um = 250;
    info.depth_max_um = 2500;
    info.depth_step_um = 50;
    info.speed_min_chz = 5000;
    info.speed_max_chz = 15000;
    info.watchdog_ms = 500;
    info.max_status_rate_hz = 100;
    info.addons = protocol::kAddonRf | protocol::kAddonLed;
    info.rf_frequency_min_khz = 1000;
    info.rf_frequency_max_khz = 2000;
    info.rf_power_max_mw = 20'000;
    info.rf_pulse_min_ms = 10;
    info.rf_pulse_max_ms = 500;
    info.rf_polarities = 0x02;  // bipolar only, so the monopolar refusal can be tested
    info.led_channel_count = 2;
    info.led_channels[0] = {415, 1000};
    info.led_channels[1] = {633, 1500};
    // A third entry beyond led_channel_count: not a fitted channel, the session must ignore it.
    info.led_channels[2] = {830, 2000};
    info.led_pulse_rate_min_chz = 100;
    info.led_pulse_rate_max_chz = 100'000;
    return info;
}

// The transport half: lives inside the session, forwards to the shared FakePen.
class FakeTransport final : public transport::Transport {
public:
    FakeTransport(const transport::LinkExecutor& io, std::shared_ptr<FakePen> pen)
        : io_(io), pen_(std::move(pen)) {
        pen_->attach(&io_);
    }
    ~FakeTransport() override { pen_->detach(&io_); }

    void open(ReceiveHandler on_receive, ErrorHandler on_error,
              std::chrono::milliseconds) override {
        // The session resets its own decoder on (re)connect; so does the pen.
        decoder_.reset();
        pen_->opened(std::move(on_receive), std::move(on_error));
    }

    void send(std::span<const std::uint8_t> bytes) override {
        if (!pen_->link_open()) return;
        pen_->record_bytes(bytes);
        decoder_.feed(
            bytes,
            [this](const protocol::DecodedFrame& frame) {
                pen_->on_request(ReceivedFrame{frame.header.seq, frame.header.type, frame.message});
            },
            [](protocol::FrameError) {});
    }

    void close() override { pen_->closed(); }
    std::string description() const override { return "fake pen"; }
    std::size_t link_bytes_per_second() const override { return pen_->link_bytes_per_second(); }
    unsigned status_share_percent() const override { return pen_->status_share_percent(); }
    std::chrono::milliseconds link_interval() const override { return pen_->link_interval(); }

private:
    transport::LinkExecutor io_;
    std::shared_ptr<FakePen> pen_;
    protocol::FrameDecoder decoder_;
};

core::Session::LinkFactory FakePen::link_factory() {
    return [self = shared_from_this()](
               const transport::LinkExecutor& io) -> std::unique_ptr<transport::Transport> {
        return std::make_unique<FakeTransport>(io, self);
    };
}

void FakePen::attach(const transport::LinkExecutor* io) {
    std::lock_guard lock(mutex_);
    io_ = io;
}

void FakePen::detach(const transport::LinkExecutor* io) {
    std::lock_guard lock(mutex_);
    if (io_ == io) io_ = nullptr;
    open_ = false;
    on_receive_ = nullptr;
    on_error_ = nullptr;
}

void FakePen::opened(transport::Transport::ReceiveHandler on_receive,
                     transport::Transport::ErrorHandler on_error) {
    std::lock_guard lock(mutex_);
    on_receive_ = std::move(on_receive);
    on_error_ = std::move(on_error);
    open_ = true;
    ++times_opened_;
}

void FakePen::closed() {
    std::lock_guard lock(mutex_);
    open_ = false;
}

void FakePen::set_info(const protocol::Info& info) {
    std::lock_guard lock(mutex_);
    info_ = info;
}

protocol::Info FakePen::info() const {
    std::lock_guard lock(mutex_);
    return info_;
}

void FakePen::set_hook(Hook hook) {
    std::lock_guard lock(mutex_);
    hook_ = std::move(hook);
}

void FakePen::mute(protocol::MessageType type) {
    std::lock_guard lock(mutex_);
    muted_.insert(type);
}

void FakePen::unmute(protocol::MessageType type) {
    std::lock_guard lock(mutex_);
    muted_.erase(type);
}

void FakePen::set_silent(bool silent) {
    std::lock_guard lock(mutex_);
    silent_ = silent;
}

void FakePen::on_request(const ReceivedFrame& frame) {
    Hook hook;
    {
        std::lock_guard lock(mutex_);
        received_.push_back(frame);
        if (silent_ || muted_.count(frame.type) != 0) return;
        hook = hook_;
    }
    // Outside the lock: the hook calls back into send()/answer().
    if (hook && hook(*this, frame)) return;
    answer(frame);
}

void FakePen::answer(const ReceivedFrame& frame) {
    using protocol::MessageType;
    switch (frame.type) {
        case MessageType::Hello: {
            protocol::HelloReply reply;
            {
                std::lock_guard lock(mutex_);
                session_id_ = session_id_ + 0x101;
                reply.boot_id = boot_id_;
                reply.session_id = session_id_;
            }
            send(frame.seq, reply);
            return;
        }
        case MessageType::GetInfo:
            send(frame.seq, info());
            return;
        case MessageType::SubscribeStatus: {
            const auto rate = std::get<protocol::SubscribeStatus>(frame.message).rate_hz;
            const auto max = info().max_status_rate_hz;
            if (rate > max) {
                send(frame.seq, protocol::Nack{frame.type, protocol::NackReason::OutOfRange,
                                               protocol::Field::StatusRate, rate, max});
                return;
            }
            break;
        }
        case MessageType::GetModules:
            send(frame.seq, protocol::Modules{});
            return;
        case MessageType::GetSettings: {
            protocol::Settings settings;
            settings.session_id = session_id();
            settings.depth_set_um = 1000;
            settings.depth_limit_um = info().depth_max_um;
            send(frame.seq, settings);
            return;
        }
        default:
            break;
    }
    if (session_id() == 0 && !protocol::is_safing_request(frame.message)) {
        send(frame.seq, protocol::Nack{frame.type, protocol::NackReason::NoSession});
        return;
    }
    send(frame.seq, protocol::Ack{frame.type});
}

void FakePen::record_bytes(std::span<const std::uint8_t> bytes) {
    std::lock_guard lock(mutex_);
    raw_.insert(raw_.end(), bytes.begin(), bytes.end());
}

std::vector<std::uint8_t> FakePen::raw_received() const {
    std::lock_guard lock(mutex_);
    return raw_;
}

void FakePen::set_link_bytes_per_second(std::size_t rate) {
    std::lock_guard lock(mutex_);
    link_rate_ = rate;
}

std::size_t FakePen::link_bytes_per_second() const {
    std::lock_guard lock(mutex_);
    return link_rate_;
}

void FakePen::set_link_shape(unsigned status_share_percent, std::chrono::milliseconds interval) {
    std::lock_guard lock(mutex_);
    status_share_percent_ = status_share_percent;
    link_interval_ = interval;
}

unsigned FakePen::status_share_percent() const {
    std::lock_guard lock(mutex_);
    return status_share_percent_;
}

std::chrono::milliseconds FakePen::link_interval() const {
    std::lock_guard lock(mutex_);
    return link_interval_;
}

void FakePen::restart() {
    std::lock_guard lock(mutex_);
    boot_id_ += 1;
    session_id_ = 0;
}

std::uint32_t FakePen::session_id() const {
    std::lock_guard lock(mutex_);
    return session_id_;
}

void FakePen::send(std::uint16_t seq, const protocol::Message& message) {
    const auto frame = protocol::encode_frame(seq, message);
    if (!frame) return;
    deliver(std::vector<std::uint8_t>(frame->view().begin(), frame->view().end()));
}

void FakePen::send_status(std::uint32_t status_seq, protocol::PenState state) {
    protocol::Status status;
    status.status_seq = status_seq;
    status.timestamp_ms = status_seq * 10;
    status.state = state;
    status.depth_set_um = status.depth_actual_um = 1000;
    status.battery_pct = 90;
    status.cartridge_id = 1001;
    std::uint16_t seq = 0;
    {
        std::lock_guard lock(mutex_);
        seq = unsolicited_seq_++;
        status.session_id = session_id_;
        status.depth_limit_um = info_.depth_max_um;
    }
    send(seq, status);
}

void FakePen::send_event(protocol::EventKind kind, std::uint32_t detail) {
    std::uint16_t seq = 0;
    {
        std::lock_guard lock(mutex_);
        seq = unsolicited_seq_++;
    }
    send(seq, protocol::Event{kind, detail, 0});
}

void FakePen::send_bytes(std::vector<std::uint8_t> bytes) { deliver(std::move(bytes)); }

void FakePen::deliver(std::vector<std::uint8_t> bytes) {
    std::lock_guard lock(mutex_);
    if (io_ == nullptr || silent_) return;
    // Posted, as a real transport's read completes later: the session registers a request only
    // after send() returns, so an answer from inside send() would find nothing waiting for it.
    boost::asio::post(*io_, [self = shared_from_this(), bytes = std::move(bytes)] {
        transport::Transport::ReceiveHandler handler;
        {
            std::lock_guard inner(self->mutex_);
            if (!self->open_) return;
            handler = self->on_receive_;
        }
        if (handler) handler(bytes);
    });
}

void FakePen::fail_link(const std::string& reason) {
    std::lock_guard lock(mutex_);
    if (io_ == nullptr) return;
    boost::asio::post(*io_, [self = shared_from_this(), reason] {
        transport::Transport::ErrorHandler handler;
        {
            std::lock_guard inner(self->mutex_);
            if (!self->open_) return;
            handler = self->on_error_;
        }
        if (handler) handler(reason);
    });
}

std::vector<ReceivedFrame> FakePen::received() const {
    std::lock_guard lock(mutex_);
    return received_;
}

std::vector<ReceivedFrame> FakePen::received(protocol::MessageType type) const {
    std::vector<ReceivedFrame> out;
    std::lock_guard lock(mutex_);
    std::copy_if(received_.begin(), received_.end(), std::back_inserter(out),
                 [type](const ReceivedFrame& frame) { return frame.type == type; });
    return out;
}

std::size_t FakePen::count(protocol::MessageType type) const { return received(type).size(); }

bool FakePen::link_open() const {
    std::lock_guard lock(mutex_);
    return open_;
}

int FakePen::times_opened() const {
    std::lock_guard lock(mutex_);
    return times_opened_;
}

}  // namespace penlink::test
