// libFuzzer harness: the simulated pen's device side, fed what a broken or hostile host might
// send. Two copies of the pen see the same bytes:
//   - a SimDevice (framing, reply memory, output batching) on an io_context that is polled by
//     hand and never started, so its output depends on the input alone;
//   - a bare PenModel behind its own FrameDecoder, whose state the harness can inspect after
//     every step: the safety invariants are checked there.
// At the end the SimDevice must still behave: Hello, EmergencyStop, a refused Start, a
// ClearEmergencyStop, an out-of-range SetDepth, GetSettings and EndSession each get the answer
// the protocol promises, and after EndSession the pen refuses with NoSession.
//
// Input layout: byte 0 picks one of the pen configurations below, then operations follow until
// the input ends, each an opcode byte and its operands:
//   0 raw      n:u8, n bytes as they are
//   1 forged   n:u8, n bytes of frame body (version..payload) given a valid CRC and COBS
//   2 request  type:u8 (one of the 16 requests), seq:u16, n:u8 (< 24), n payload bytes, framed
//   3 step     dt:u16, advances the PenModel's time by dt * 100 us
//   4 hardware kind:u8 and operands: cartridge in/out, button, raise fault, reset link,
//              link closed (end of session), reboot, temperature, battery, e-stop button
//   5 again    resends the bytes of the previous operation (a host retry)
#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "protocol/frame.hpp"
#include "sim/module_definition.hpp"
#include "sim/pen_model.hpp"
#include "sim/sim_config.hpp"
#include "sim/sim_device.hpp"

using namespace penlink;
using fuzz::check;
using protocol::MessageType;

namespace {

constexpr std::uint32_t kEstopBit = 1u << protocol::kFaultEmergencyStop;

/// A typical pen, one without add-ons on a narrow grid with a short watchdog, and one close to
/// its battery and temperature limits so the physics faults are within reach of a few steps.
const std::vector<sim::SimConfig>& configs() {
    static const std::vector<sim::SimConfig> all = [] {
        std::vector<sim::SimConfig> out(4, sim::default_sim_config());
        // A pen with a module: an energy parameter, a guarded one and telemetry, so SetParams
        // and GetParams reach the module host (small payloads: slot 1, ids 0x8001..0x8003).
        out[3].modules.push_back(sim::load_module_text(
            R"({"schema": "penlink.module/1", "key": "heater", "name": "Fuzz Heater",
              "vendor": {"id": 9, "name": "fuzz"}, "model": {"id": 1},
              "parameters": [
                {"key": "on", "id": 32769, "type": "bool", "default": false, "safety": "energy"},
                {"key": "power_w", "id": 32770, "type": "fixed", "unit": "W", "scale": 0.5,
                 "min": 0, "max": 10, "default": 0, "safety": "energy"},
                {"key": "boost", "id": 32771, "type": "bool", "default": false}],
              "telemetry": [{"key": "heat_j", "id": 128, "unit": "J", "scale": 0.1, "min": 0,
                             "max": 100000}],
              "interlocks": [{"key": "needle", "condition": "needle_running",
                              "guards": ["boost"]}],
              "simulation": {"telemetry": {"heat_j": {"model": "integrate",
                              "source": "power_w", "when": "on"}}}})",
            "fuzz module"));
        sim::apply_sim_options(out[1], {{"rf", "0"},
                                        {"led", "0"},
                                        {"depth_min_mm", "0.25"},
                                        {"depth_max_mm", "1.5"},
                                        {"depth_step_mm", "0.05"},
                                        {"watchdog_ms", "100"}});
        sim::apply_sim_options(out[2], {{"depth_step_mm", "0.01"},
                                        {"battery_pct", "5.01"},
                                        {"ambient_c", "30"},
                                        {"over_temperature_c", "30.5"},
                                        {"stroke_limit", "40"}});
        return out;
    }();
    return all;
}

bool allowed_while_estopped(const protocol::Message& request) {
    const MessageType type = protocol::type_of(request);
    return type == MessageType::Hello || type == MessageType::GetInfo ||
           type == MessageType::GetSettings || type == MessageType::Heartbeat ||
           type == MessageType::SubscribeStatus || type == MessageType::EmergencyStop ||
           type == MessageType::ClearEmergencyStop || type == MessageType::GetModules ||
           type == MessageType::ReadDescriptor || type == MessageType::GetParams ||
           // SetParams goes on to its own checks, which refuse energy parameters while e-stopped
           type == MessageType::SetParams || protocol::is_safing_request(request);
}

/// The reply a module read answers with when it succeeds.
bool is_module_reply(MessageType request, const protocol::Message& reply) {
    switch (request) {
        case MessageType::GetModules:
            return std::holds_alternative<protocol::Modules>(reply);
        case MessageType::ReadDescriptor:
            return std::holds_alternative<protocol::DescriptorChunk>(reply);
        case MessageType::GetParams:
            return std::holds_alternative<protocol::Params>(reply);
        default:
            return false;
    }
}

bool allowed_outside_session(const protocol::Message& request) {
    return std::holds_alternative<protocol::Hello>(request) || protocol::is_safing_request(request);
}

/// Requests acked in every state they are let through in.
bool never_refused(const protocol::Message& request, const protocol::Info& info) {
    switch (protocol::type_of(request)) {
        case MessageType::EmergencyStop:
        case MessageType::ClearEmergencyStop:
        case MessageType::Heartbeat:
        case MessageType::Stop:
        case MessageType::EndSession:
            return true;
        case MessageType::SetRf:
            return protocol::is_safing_request(request) && (info.addons & protocol::kAddonRf);
        case MessageType::SetLed:
            return protocol::is_safing_request(request) && (info.addons & protocol::kAddonLed);
        default:
            return false;
    }
}

/// What kind of limit each refusal must carry.
void check_limit_kind(const protocol::Nack& nack) {
    using protocol::LimitKind;
    switch (nack.reason) {
        case protocol::NackReason::OutOfRange:
            check(nack.limit_kind == LimitKind::Minimum || nack.limit_kind == LimitKind::Maximum ||
                  nack.limit_kind == LimitKind::Step || nack.limit_kind == LimitKind::AllowedMask ||
                  nack.limit_kind == LimitKind::SessionMaximum);
            break;
        case protocol::NackReason::FaultActive:
            check(nack.limit_kind == LimitKind::FaultBits && nack.value != 0);
            break;
        case protocol::NackReason::CartridgeExhausted:
        case protocol::NackReason::VersionMismatch:
            check(nack.limit_kind == LimitKind::Maximum);
            break;
        case protocol::NackReason::NotSupported:
        case protocol::NackReason::NoSession:
        case protocol::NackReason::EmergencyStopped:
        case protocol::NackReason::CartridgeMissing:
        case protocol::NackReason::Superseded:
        case protocol::NackReason::Busy:
            check(nack.limit_kind == LimitKind::None);
            break;
        default:
            break;
    }
}

/// The bare model and what must always hold for it.
class ModelUnderTest {
public:
    explicit ModelUnderTest(const sim::SimConfig& config) : config_(config), model_(config) {}

    void receive(std::span<const std::uint8_t> bytes) {
        decoder_.feed(
            bytes, [this](const protocol::DecodedFrame& frame) { handle(frame); },
            [](protocol::FrameError) {});
    }

    void step(std::uint32_t dt_us) {
        model_.step(dt_us);
        check_invariants();
    }

    void hardware(std::uint8_t kind, std::uint32_t a, std::uint32_t b) {
        switch (kind) {
            case 0:
                model_.insert_cartridge(a, b);
                break;
            case 1:
                model_.remove_cartridge();
                break;
            case 2:
                model_.press_button(a);
                break;
            case 3:
                model_.raise_fault(a);
                break;
            case 5:
                model_.end_session();
                break;
            case 6:
                model_.reboot(a | 1u);
                break;
            case 7:
                model_.set_temperature_c(static_cast<double>(a % 120));
                break;
            case 8:
                model_.set_battery_pct(static_cast<double>(a % 101));
                break;
            case 9:
                model_.press_emergency_stop_button();
                break;
            default:
                break;
        }
        check_invariants();
    }

private:
    void handle(const protocol::DecodedFrame& frame) {
        const MessageType type = frame.header.type;
        const bool estopped_before = model_.state() == protocol::PenState::EmergencyStopped;
        const bool in_session_before = model_.in_session();
        // A SetParams that only returns energy parameters to their defaults is safing: the
        // pen decides that from the module's descriptor, before it handles the request.
        const bool safing = model_.makes_safer(frame.message);
        const protocol::Message reply = model_.handle(frame.message);

        const auto* ack = std::get_if<protocol::Ack>(&reply);
        const auto* nack = std::get_if<protocol::Nack>(&reply);
        if (nack != nullptr) check_limit_kind(*nack);
        if (!protocol::is_request(type)) {
            check(nack != nullptr && nack->reason == protocol::NackReason::NotSupported);
        } else if (!in_session_before && !safing && !allowed_outside_session(frame.message)) {
            check(nack != nullptr && nack->request == type &&
                  nack->reason == protocol::NackReason::NoSession);
        } else if (estopped_before && !safing && !allowed_while_estopped(frame.message)) {
            check(nack != nullptr && nack->request == type &&
                  nack->reason == protocol::NackReason::EmergencyStopped);
        } else if (safing && type == MessageType::SetParams) {
            check(ack != nullptr && ack->request == type);  // safing: acked in every state
        } else if (never_refused(frame.message, config_.info)) {
            // Stop, outputs off and EndSession are acked in every state, e-stop included.
            check(ack != nullptr && ack->request == type);
        } else if (type == MessageType::GetInfo) {
            const auto* info = std::get_if<protocol::Info>(&reply);
            check(info != nullptr && *info == config_.info);
        } else if (type == MessageType::GetSettings) {
            const auto* settings = std::get_if<protocol::Settings>(&reply);
            check(settings != nullptr && *settings == model_.settings());
        } else if (type == MessageType::Hello) {
            const auto* hello = std::get_if<protocol::HelloReply>(&reply);
            check((hello != nullptr && hello->session_id != 0 &&
                   hello->session_id == model_.session_id() && hello->boot_id == model_.boot_id() &&
                   model_.status_rate_hz() == 0) ||
                  (nack != nullptr && nack->reason == protocol::NackReason::VersionMismatch));
        } else {
            check((ack != nullptr && ack->request == type) ||
                  (nack != nullptr && nack->request == type) || is_module_reply(type, reply));
        }
        if (type == MessageType::EndSession) check(!model_.in_session());
        // Whatever the pen answers must fit in a frame.
        check(protocol::encode_frame(frame.header.seq, reply).has_value());
        check_invariants();
    }

    void check_invariants() {
        protocol::Event event;
        while (model_.pop_event(event)) {
        }  // a device sends them; here they only must not pile up
        protocol::Status status;
        model_.snapshot(status);
        const auto& info = config_.info;
        check(status.depth_set_um >= info.depth_min_um && status.depth_set_um <= info.depth_max_um);
        // The session depth limit is a ceiling on the set point, within the pen's range.
        check(status.depth_limit_um >= info.depth_min_um &&
              status.depth_limit_um <= info.depth_max_um);
        check(status.depth_set_um <= status.depth_limit_um);
        check(status.session_id == model_.session_id());
        // Outside a session nothing runs and nothing streams.
        if (!model_.in_session()) {
            check(!model_.running() && !model_.rf_enabled() && !model_.led_enabled());
            check(model_.status_rate_hz() == 0);
            check(status.depth_limit_um == info.depth_max_um);
        }
        check(info.depth_step_um == 0 ||
              (status.depth_set_um - info.depth_min_um) % info.depth_step_um == 0);
        check(status.depth_actual_um >= info.depth_min_um &&
              status.depth_actual_um <= info.depth_max_um);
        check(status.speed_set_chz >= info.speed_min_chz &&
              status.speed_set_chz <= info.speed_max_chz);
        // The e-stop latch, the state and the fault bit tell one story.
        const bool estopped = status.state == protocol::PenState::EmergencyStopped;
        check(estopped == ((status.fault_bits & kEstopBit) != 0));
        check(status.state != protocol::PenState::Paused);  // reserved, unused by the sim
        // A latched fault or e-stop leaves needle, RF and LED off.
        if (estopped || (status.fault_bits & sim::kLatchedFaultMask) != 0) {
            check(!model_.running() && !model_.rf_enabled() && !model_.led_enabled());
            check(!model_.modules().energy_active());  // module energy outputs off too
            check(status.state != protocol::PenState::Running);
        }
        if (!model_.in_session()) check(!model_.modules().energy_active());
        if (model_.running()) check(status.cartridge_id != 0);
        if (!(info.addons & protocol::kAddonRf)) check(!model_.rf_enabled());
        if (!(info.addons & protocol::kAddonLed)) check(!model_.led_enabled());
    }

    const sim::SimConfig& config_;
    sim::PenModel model_;
    protocol::FrameDecoder decoder_;
};

/// The SimDevice and a check of every byte it sends.
class DeviceUnderTest {
public:
    explicit DeviceUnderTest(const sim::SimConfig& config)
        : device_(io_, config, [this](std::span<const std::uint8_t> bytes) { on_send(bytes); }) {}

    void receive(std::span<const std::uint8_t> bytes) {
        device_.receive(bytes);
        io_.poll();
    }
    sim::SimDevice& device() { return device_; }

    /// Sends one request on a clean line and returns the non-event frames it caused.
    std::vector<protocol::DecodedFrame> exchange(std::uint16_t seq,
                                                 const protocol::Message& request) {
        // A lone delimiter first: it ends whatever partial frame the fuzz input left behind,
        // and that frame's answer (it may be a valid request) is not the probe's.
        const std::uint8_t delimiter = 0;
        receive({&delimiter, 1});
        replies_.clear();
        fuzz::Bytes bytes;
        fuzz::append_message(bytes, seq, request);
        receive(bytes);
        return replies_;
    }

private:
    void on_send(std::span<const std::uint8_t> bytes) {
        decoder_.feed(
            bytes,
            [this](const protocol::DecodedFrame& frame) {
                const MessageType type = frame.header.type;
                // The pen only ever sends replies and events (status needs the timer).
                check(!protocol::is_request(type) && type != MessageType::Status);
                // A request is superseded only by one at least as new as itself.
                if (const auto* nack = std::get_if<protocol::Nack>(&frame.message);
                    nack != nullptr && nack->reason == protocol::NackReason::Superseded) {
                    check(!protocol::seq_newer(frame.header.seq,
                                               static_cast<std::uint16_t>(nack->value)));
                    // The stop requests are never superseded (RF/LED off cannot be told apart
                    // from on here; the unit tests cover them).
                    check(nack->request != MessageType::Stop &&
                          nack->request != MessageType::EmergencyStop &&
                          nack->request != MessageType::EndSession);
                }
                if (type != MessageType::Event) replies_.push_back(frame);
            },
            [](protocol::FrameError) { fuzz::fail(); });  // the pen never sends a bad frame
    }

    boost::asio::io_context io_;
    protocol::FrameDecoder decoder_;
    std::vector<protocol::DecodedFrame> replies_;
    sim::SimDevice device_;  // last: its send handler uses the members above
};

/// The one non-event answer to a probe request, if it is a Reply echoing seq.
template <typename Reply>
std::optional<Reply> single_reply(const std::vector<protocol::DecodedFrame>& replies,
                                  std::uint16_t seq) {
    check(replies.size() == 1 && replies[0].header.seq == seq);
    if (const auto* reply = std::get_if<Reply>(&replies[0].message)) return *reply;
    return std::nullopt;
}

/// The device must still follow the protocol after whatever came before.
void probe(DeviceUnderTest& pen, const sim::SimConfig& config) {
    const auto hello =
        single_reply<protocol::HelloReply>(pen.exchange(0xFFF0, protocol::Hello{}), 0xFFF0);
    check(hello && hello->session_id != 0 && hello->boot_id != 0);
    check(single_reply<protocol::Ack>(pen.exchange(0xFFF1, protocol::EmergencyStop{}), 0xFFF1)
              .has_value());
    const auto refused =
        single_reply<protocol::Nack>(pen.exchange(0xFFF2, protocol::Start{}), 0xFFF2);
    check(refused && refused->reason == protocol::NackReason::EmergencyStopped);
    check(single_reply<protocol::Ack>(pen.exchange(0xFFF3, protocol::ClearEmergencyStop{}), 0xFFF3)
              .has_value());
    const auto too_deep = static_cast<std::uint16_t>(config.info.depth_max_um + 1);
    const auto range =
        single_reply<protocol::Nack>(pen.exchange(0xFFF4, protocol::SetDepth{too_deep}), 0xFFF4);
    check(range && range->reason == protocol::NackReason::OutOfRange &&
          range->field == protocol::Field::Depth && range->value == too_deep &&
          range->limit == config.info.depth_max_um &&
          range->limit_kind == protocol::LimitKind::Maximum);
    const auto settings =
        single_reply<protocol::Settings>(pen.exchange(0xFFF5, protocol::GetSettings{}), 0xFFF5);
    check(settings && settings->session_id == hello->session_id && !settings->running &&
          settings->depth_limit_um == config.info.depth_max_um && settings->status_rate_hz == 0);
    check(single_reply<protocol::Ack>(pen.exchange(0xFFF6, protocol::EndSession{}), 0xFFF6)
              .has_value());
    const auto outside =
        single_reply<protocol::Nack>(pen.exchange(0xFFF7, protocol::Heartbeat{}), 0xFFF7);
    check(outside && outside->reason == protocol::NackReason::NoSession);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::ByteReader input({data, size});
    const auto& all = configs();
    const sim::SimConfig& config = all[input.u8() % all.size()];
    ModelUnderTest model(config);
    DeviceUnderTest device(config);

    fuzz::Bytes bytes;  // what the current operation sends; kept for "again"
    while (!input.empty()) {
        const std::uint8_t op = input.u8() % 6;
        if (op <= 2 || op == 5) {
            if (op != 5) bytes.clear();
            if (op == 0) {
                fuzz::append(bytes, input.take(input.u8()));
            } else if (op == 1) {
                fuzz::append_forged_frame(bytes, input.take(input.u8()));
            } else if (op == 2) {
                const auto type = fuzz::kAllTypes[input.u8() % fuzz::kRequestTypeCount];
                const std::uint16_t seq = input.u16();
                const auto payload = input.take(input.u8() % 24);
                fuzz::append_frame_with_payload(bytes, static_cast<std::uint8_t>(type), seq,
                                                payload);
            }
            device.receive(bytes);
            model.receive(bytes);
        } else if (op == 3) {
            model.step(std::uint32_t{input.u16()} * 100);
        } else {
            const std::uint8_t kind = input.u8() % 10;
            const std::uint32_t a = kind == 3 ? input.u8() % 40 : input.u16();
            const std::uint32_t b = kind == 0 ? input.u16() : 0;
            model.hardware(kind, a, b);
            switch (kind) {
                case 0:
                    device.device().insert_cartridge(a, b);
                    break;
                case 1:
                    device.device().remove_cartridge();
                    break;
                case 2:
                    device.device().press_button(a);
                    break;
                case 3:
                    device.device().inject_fault(a);
                    break;
                case 4:
                    device.device().reset_link();
                    break;
                case 5:
                    device.device().end_session();
                    break;
                case 6:
                    device.device().reboot();
                    break;
                case 7:
                    device.device().set_temperature_c(static_cast<double>(a % 120));
                    break;
                case 8:
                    device.device().set_battery_pct(static_cast<double>(a % 101));
                    break;
                default:
                    device.device().press_emergency_stop_button();
                    break;
            }
        }
    }
    probe(device, config);
    return 0;
}
