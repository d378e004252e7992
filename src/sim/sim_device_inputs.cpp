// SimDevice's simulated hardware inputs, for tests and the sim's console: buttons, the
// e-stop, cartridges, injected faults, modules, the environment and power. Each is applied to
// a model brought up to the wall clock (Impl::input), its events sent and the timer re-planned.
#include <string>

#include "penlink/errors.hpp"
#include "sim/module_host.hpp"
#include "sim/sim_device.hpp"
#include "sim/sim_device_impl.hpp"

namespace penlink::sim {

void SimDevice::press_button(std::uint32_t button) {
    impl_->input([&] { impl_->model.press_button(button); });
}

void SimDevice::press_emergency_stop_button() {
    impl_->input([&] { impl_->model.press_emergency_stop_button(); });
}

void SimDevice::insert_cartridge(std::uint32_t cartridge_id, std::uint32_t stroke_limit) {
    impl_->input([&] { impl_->model.insert_cartridge(cartridge_id, stroke_limit); });
}

void SimDevice::remove_cartridge() {
    impl_->input([&] { impl_->model.remove_cartridge(); });
}

void SimDevice::inject_fault(std::uint32_t fault_bit) {
    impl_->input([&] { impl_->model.raise_fault(fault_bit); });
}

std::uint8_t SimDevice::attach_module(const std::string& path) {
    auto definition = load_module_file(path);  // may throw: nothing changed yet
    return impl_->input([&] {
        const auto slot = impl_->model.attach_module(std::move(definition));
        if (!slot) {
            throw InvalidArgumentError("cannot attach " + path + ": all " +
                                       std::to_string(protocol::kMaxModules) + " slots are taken");
        }
        return *slot;
    });
}

void SimDevice::detach_module(std::uint8_t slot) {
    impl_->input([&] {
        if (!impl_->model.detach_module(slot)) {
            throw InvalidArgumentError("no module in slot " + std::to_string(slot));
        }
    });
}

void SimDevice::corrupt_descriptor_chunks(std::uint8_t slot, std::uint32_t count) {
    if (!impl_->model.corrupt_descriptor_chunks(slot, count)) {
        throw InvalidArgumentError("no module in slot " + std::to_string(slot));
    }
}

void SimDevice::set_temperature_c(double temperature_c) {
    impl_->input([&] { impl_->model.set_temperature_c(temperature_c); });
}
void SimDevice::set_heating_c_per_s(double c_per_s) {
    impl_->input([&] { impl_->model.set_heating_c_per_s(c_per_s); });
}
void SimDevice::set_battery_pct(double pct) {
    impl_->input([&] { impl_->model.set_battery_pct(pct); });
}
void SimDevice::set_drain_pct_per_s(double pct_per_s) {
    impl_->input([&] { impl_->model.set_drain_pct_per_s(pct_per_s); });
}
void SimDevice::set_charging(bool charging) {
    impl_->input([&] { impl_->model.set_charging(charging); });
}

void SimDevice::reboot() {
    impl_->catch_up();
    impl_->reboot();
}
void SimDevice::power_off() {
    impl_->catch_up();
    impl_->power_off();
}
void SimDevice::power_on() {
    impl_->catch_up();
    impl_->power_on();
}

void SimDevice::set_busy_for(std::chrono::milliseconds duration) {
    impl_->catch_up();  // busy from now, not from the last step
    impl_->gate.set_busy_until(impl_->model.uptime_us() +
                               static_cast<std::uint64_t>(duration.count()) * 1000);
}

}  // namespace penlink::sim
