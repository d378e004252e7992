#include "fake_bluez_harness.hpp"

#include <chrono>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

namespace penlink::test {

using std::chrono::seconds;

FakeBluez::FakeBluez(const std::vector<std::string>& fake_args,
                     const std::vector<std::string>& sim_args) {
    bus_ = std::make_unique<tooltest::ChildProcess>(
        PENLINK_DBUS_DAEMON,
        std::vector<std::string>{"--config-file=" PENLINK_BLE_TEST_DIR "/private_bus.conf",
                                 "--print-address=1", "--nofork"});
    if (!bus_->wait_for_output("\n", seconds(10))) {
        throw std::runtime_error("the private dbus-daemon did not print its address in 10 s");
    }
    bus_address_ = bus_->out().substr(0, bus_->out().find('\n'));

    std::vector<std::string> sim_command{"--tcp", "0", "--quiet"};
    sim_command.insert(sim_command.end(), sim_args.begin(), sim_args.end());
    sim_ = std::make_unique<simtool::SimProcess>(PENLINK_SIM_EXE, sim_command);
    const std::string endpoint = sim_->url().substr(std::string("tcp://").size());

    std::vector<std::string> command{PENLINK_BLE_TEST_DIR "/fake_bluez.py", "--bus", bus_address_,
                                     "--sim", endpoint};
    command.insert(command.end(), fake_args.begin(), fake_args.end());
    fake_ = std::make_unique<tooltest::ChildProcess>(PENLINK_TEST_PYTHON, command);
    if (!fake_->wait_for_output("READY", seconds(20))) {
        auto finished = fake_->finish(seconds(2));
        throw std::runtime_error("fake_bluez.py did not get ready: " + finished.err);
    }
    setenv("DBUS_SYSTEM_BUS_ADDRESS", bus_address_.c_str(), 1);
}

FakeBluez::~FakeBluez() {
    fake_.reset();
    sim_.reset();
    bus_.reset();
}

std::string FakeBluez::url(const std::string& query) {
    return std::string("ble://") + kFakePenAddress + query;
}

void FakeBluez::control(const std::string& method, const std::vector<std::string>& args) {
    std::vector<std::string> command{"--bus=" + bus_address_, "--print-reply", "--dest=org.bluez",
                                     "/org/penlink/fake", "org.penlink.FakeBluez1." + method};
    command.insert(command.end(), args.begin(), args.end());
    auto result = tooltest::run(PENLINK_DBUS_SEND, command, {}, seconds(10));
    if (result.exit_code != 0) {
        throw std::runtime_error("dbus-send " + method + " failed: " + result.err);
    }
}

std::map<std::string, std::uint64_t> FakeBluez::stats() {
    auto result = tooltest::run(PENLINK_DBUS_SEND,
                                {"--bus=" + bus_address_, "--print-reply", "--dest=org.bluez",
                                 "/org/penlink/fake", "org.penlink.FakeBluez1.Stats"},
                                {}, seconds(10));
    if (result.exit_code != 0) throw std::runtime_error("dbus-send Stats failed: " + result.err);
    // dict entry( string "writes" uint64 12 )
    std::map<std::string, std::uint64_t> stats;
    std::istringstream in(result.out);
    std::string word;
    std::string key;
    while (in >> word) {
        if (word == "string") {
            in >> key;
            key = key.substr(1, key.size() - 2);
        } else if (word == "uint64" && !key.empty()) {
            std::uint64_t value = 0;
            in >> value;
            stats[key] = value;
        }
    }
    return stats;
}

}  // namespace penlink::test
