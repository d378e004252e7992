// A simulated pen that speaks protocol v2 from the device side, driven by an io_context.
//
// SimDevice is transport-agnostic: bytes from the host go in through receive(), bytes to the
// host come out through the send callback. penlink-sim wires it to a pty or a TCP socket; the
// in-process transport (sim://) wires it straight to a session. All methods must be called on
// the io_context's thread (the one running io).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>

#include <boost/asio/io_context.hpp>

#include "protocol/frame.hpp"
#include "sim/sim_config.hpp"

namespace penlink::sim {

class PenModel;

class SimDevice {
public:
    using SendHandler = std::function<void(std::span<const std::uint8_t>)>;
    /// Fault injection asked the link to drop (penlink-sim closes the pty/socket).
    using DropLinkHandler = std::function<void()>;

    SimDevice(boost::asio::io_context& io, SimConfig config, SendHandler send);
    ~SimDevice();
    SimDevice(const SimDevice&) = delete;
    SimDevice& operator=(const SimDevice&) = delete;

    /// Starts the timer that advances the physics, status stream, watchdog and fault
    /// injection; it wakes every tick_us while the pen moves and only when something is due
    /// while it rests.
    void start();
    /// Stops all timers; no more bytes are sent.
    void stop();
    /// Bytes from the host, in arrival order.
    void receive(std::span<const std::uint8_t> bytes);

    void on_drop_link(DropLinkHandler handler);

    /// Optional: Status frames go to this handler instead of the send handler, apart from
    /// replies and events, so a congested link can drop them rather than queue them ahead of a
    /// reply. The handler may drop any chunk it is given (chunks hold whole frames).
    void set_status_sink(SendHandler sink);

    /// Simulated hardware inputs, for tests and the sim's console.
    void press_button(std::uint32_t button);
    void press_emergency_stop_button();
    void insert_cartridge(std::uint32_t cartridge_id, std::uint32_t stroke_limit);
    void remove_cartridge();
    void inject_fault(std::uint32_t fault_bit);

    /// Fits a module from a descriptor file (load_module_file) in the lowest free slot and sends
    /// Event ModuleAttached; returns the slot. Throws InvalidArgumentError naming the file and
    /// field of a bad descriptor, or when every slot is taken.
    std::uint8_t attach_module(const std::string& path);
    /// Removes the module in slot (its energy outputs go with it) and sends Event
    /// ModuleDetached. Throws InvalidArgumentError if the slot is empty.
    void detach_module(std::uint8_t slot);
    /// The next count DescriptorChunk replies for slot carry one flipped byte, so a host's
    /// descriptor retry can be tested. Throws InvalidArgumentError if the slot is empty.
    void corrupt_descriptor_chunks(std::uint8_t slot, std::uint32_t count);

    /// The depth actuator homes for `duration`: SetDepth and SetDepthLimit are answered
    /// Nack Busy (never cached, so the host's retry of the same frame is evaluated afresh).
    void set_busy_for(std::chrono::milliseconds duration);

    /// Simulated environment (see PenModel): protection faults follow at the next tick.
    void set_temperature_c(double temperature_c);
    void set_heating_c_per_s(double c_per_s);
    void set_battery_pct(double pct);
    void set_drain_pct_per_s(double pct_per_s);
    void set_charging(bool charging);

    /// Power-cycles the pen at once: all volatile state is lost (session, subscription,
    /// remembered replies, set points, outputs, faults, uptime and frame counters).
    void reboot();
    /// The pen is off until power_on(): it neither answers nor sends; outputs are off.
    void power_off();
    /// Boots after power_off() (the same as reboot() when it was on).
    void power_on();
    bool powered() const;

    /// The host's link closed (TCP connection closed, pty hang-up): needle, RF and LED off at
    /// once, status streaming stops, remembered replies and any partial frame are forgotten.
    /// No fault is latched.
    void end_session();

    const SimConfig& config() const;

    // Added by the sim implementation (additive):
    /// A new host connection replaced the old one: drops any partial frame, the duplicate-
    /// reply memory and the supersession memory, so a new host that restarts its sequence
    /// numbers is neither answered from them nor refused as superseded.
    void reset_link();
    /// Frames from the host that failed to decode (bad COBS, CRC, length, type, payload).
    std::uint64_t decode_errors() const;
    /// Status frames numbered but not sent because the link had no room (link_bytes_per_s).
    std::uint64_t status_dropped() const;
    /// True while a host holds a session and has been heard from within two watchdog periods:
    /// a second link is then only allowed to make the pen safer (receive_other_link).
    bool controller_active() const;
    /// Bytes from a second link while another host holds the session (docs/protocol.md
    /// section 16.6): the requests that make the pen safer are applied and answered plain
    /// through reply; everything else, Hello included, is answered Nack InUse. decoder is the
    /// second link's own.
    void receive_other_link(std::span<const std::uint8_t> bytes, protocol::FrameDecoder& decoder,
                            const SendHandler& reply);
    /// Frames rejected in the current session as forged, replayed or injected.
    std::uint32_t rejected_frames() const;
    /// True while the current session is authenticated.
    bool authenticated() const;
    /// The model, for inspection by tests and the console, first brought up to the wall clock
    /// (a pen at rest is stepped lazily; see sim_device.cpp). Do not call handle() on it.
    const PenModel& model() const;
    /// How many times the timer has woken and advanced the model: every tick while the pen
    /// moves, only when something falls due while it rests (for tests of that).
    std::uint64_t timer_wakeups() const;
    /// Uptime (us) the pending timer wait ends at; UINT64_MAX when nothing is due at all.
    std::uint64_t next_wakeup_us() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace penlink::sim
