// The BLE tests' world: a private dbus-daemon standing in for the system bus, a penlink-sim on
// TCP, and tests/ble/fake_bluez.py owning org.bluez on that bus and bridging the penlink GATT
// service to the sim. Building one points this process's DBUS_SYSTEM_BUS_ADDRESS at the
// private bus, so the SDK under test finds the fake as it would find BlueZ.
//
// Every child is killed and reaped by the destructor; every wait has a deadline. One harness
// per test case, on the test's thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "child_process.hpp"
#include "penlink-sim/launcher.hpp"

namespace penlink::test {

inline constexpr const char* kFakePenAddress = "C0:FF:EE:00:00:01";
inline constexpr const char* kFakePenName = "penlink-sim";

class FakeBluez {
public:
    /// fake_args go to fake_bluez.py (e.g. "--mtu", "23"), sim_args to penlink-sim.
    explicit FakeBluez(const std::vector<std::string>& fake_args = {},
                       const std::vector<std::string>& sim_args = {});
    ~FakeBluez();
    FakeBluez(const FakeBluez&) = delete;
    FakeBluez& operator=(const FakeBluez&) = delete;

    const std::string& bus_address() const { return bus_address_; }
    /// "ble://C0:FF:EE:00:00:01" plus query (e.g. "?adapter=hci0").
    static std::string url(const std::string& query = {});

    /// Calls a method of the fake's control interface (org.penlink.FakeBluez1) with dbus-send
    /// typed arguments, e.g. control("SetConnectError", {"string:org.bluez.Error.Failed", ...}).
    void control(const std::string& method, const std::vector<std::string>& args = {});
    /// The fake's counters: writes, rejected_writes, bytes_to_pen, notifications, ...
    std::map<std::string, std::uint64_t> stats();

private:
    std::unique_ptr<tooltest::ChildProcess> bus_;
    std::unique_ptr<simtool::SimProcess> sim_;
    std::unique_ptr<tooltest::ChildProcess> fake_;
    std::string bus_address_;
};

}  // namespace penlink::test
