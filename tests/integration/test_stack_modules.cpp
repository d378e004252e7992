// A partner module end to end, as an app sees it: the public API (libpenlink only) against a
// real penlink-sim process over TCP, fitted with a module whose descriptor is written here at
// test time. Discovery, atomic sets, the pen's interlock refusal, telemetry, attach and detach
// events through the simulator's control channel, a corrupt descriptor chunk, and a pen that
// keeps its descriptors in a partner directory.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <atomic>
#include <boost/asio.hpp>
#include <filesystem>
#include <fstream>
#include <optional>

#include "child_process.hpp"
#include "penlink/penlink.hpp"
#include "sim_control.hpp"
#include "stack_helpers.hpp"

using namespace penlink;
using namespace penlink::test;
using namespace std::chrono_literals;
using Catch::Matchers::Contains;

namespace {

// A descriptor no other test (nor the process-wide descriptor cache) has seen: tag makes its
// bytes, and so its CRC-32, unique.
std::string mist_descriptor(const std::string& tag) {
    return R"({"schema": "penlink.module/1", "key": "mist", "name": "Hydra Mist )" + tag + R"(",
  "vendor": {"id": 2024, "name": "Integration Partner"}, "model": {"id": 5},
  "parameters": [
    {"key": "spray", "id": 32769, "type": "bool", "default": false},
    {"key": "flow_ml_min", "id": 32770, "type": "fixed", "unit": "mL/min", "scale": 0.1,
     "min": 0, "max": 5, "step": 0.1, "default": 1},
    {"key": "serum", "id": 32771, "type": "enum", "labels": ["saline", "hyaluronic", "peptide"],
     "default": "saline"},
    {"key": "warm", "id": 32772, "type": "bool", "default": false}
  ],
  "telemetry": [
    {"key": "flow_ml_min", "id": 128, "unit": "mL/min", "scale": 0.01, "min": 0, "max": 6},
    {"key": "dispensed_ml", "id": 129, "unit": "mL", "scale": 0.001, "min": 0, "max": 1000000}
  ],
  "interlocks": [
    {"key": "needle", "condition": "needle_running", "guards": ["warm"],
     "description": "warming only while the needle runs"}
  ],
  "simulation": {"telemetry": {
    "flow_ml_min": {"model": "first_order", "source": "flow_ml_min", "when": "spray",
                    "idle": 0, "tau_s": 0.2},
    "dispensed_ml": {"model": "integrate", "source": "flow_ml_min", "gain": 0.0166667,
                     "when": "spray"}}}})";
}

std::string unique_tag() {
    static std::atomic<int> counter{0};
    return std::to_string(::getpid()) + "-" + std::to_string(++counter);
}

struct TempDir {
    TempDir()
        : path(std::filesystem::temp_directory_path() / ("penlink-stack-modules-" + unique_tag())) {
        std::filesystem::create_directories(path);
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }
    std::string write(const std::string& name, const std::string& text) const {
        std::ofstream(path / name) << text;
        return (path / name).string();
    }
    std::filesystem::path path;
};

// "PREFIX rest-of-line" from the simulator's stdout.
std::string announced(tooltest::ChildProcess& sim, const std::string& prefix) {
    const auto line = sim.announced(prefix, 10s);
    if (!line) FAIL("no " << prefix << "line");
    return *line;
}

// penlink-sim on TCP with its control channel, fitted with the given module files.
struct ModulePen {
    explicit ModulePen(std::vector<std::string> extra)
        : sim(PENLINK_SIM_EXE, args(std::move(extra))),
          url("tcp://" + announced(sim, "TCP ")),
          control(io, announced(sim, "CONTROL ")) {}
    static std::vector<std::string> args(std::vector<std::string> extra) {
        std::vector<std::string> all{"--tcp", "0", "--control-port", "0", "--quiet"};
        all.insert(all.end(), extra.begin(), extra.end());
        return all;
    }
    std::string command(const std::string& line) { return control.command(line); }

    tooltest::ChildProcess sim;
    std::string url;
    boost::asio::io_context io;
    tooltest::SimControl control;
};

}  // namespace

TEST_CASE("an app drives a partner module known only by its descriptor", "[stack][modules]") {
    TempDir dir;
    const std::string file = dir.write("mist.json", mist_descriptor(unique_tag()));
    ModulePen sim({"--module", file});
    auto pen = Pen::connect(sim.url, stack_options());

    const auto modules = pen->modules();
    REQUIRE(modules.size() == 1);
    const Module mist = modules[0];
    CHECK(mist.key() == "mist");
    CHECK(mist.slot() == 1);
    CHECK(mist.vendor_id() == 2024);
    CHECK(mist.descriptor().find_parameter("flow_ml_min")->unit == "mL/min");

    // Defaults, then an atomic set read back.
    CHECK(pen->get_param("mist", "serum") == ParamValue("saline"));
    pen->set_params("mist", {{"flow_ml_min", 2.5}, {"serum", "peptide"}, {"spray", true}});
    CHECK(pen->get_param("mist", "flow_ml_min").as_number() == Approx(2.5));
    CHECK(pen->get_param("mist", "serum") == ParamValue("peptide"));

    // The host refuses what the descriptor forbids, naming the key, value, limit and unit.
    CHECK_THAT(message_of<OutOfRangeError>([&] { pen->set_param("mist", "flow_ml_min", 7.0); }),
               Contains("mist.flow_ml_min 7 mL/min exceeds the module's maximum of 5 mL/min"));
    // The pen refuses what only it can judge (the needle is not running): nothing of the
    // request is applied, the flow keeps its value.
    const std::string refusal = message_of<RejectedError>([&] {
        pen->set_params("mist", {{"flow_ml_min", 4.0}, {"warm", true}});
    });
    CHECK_THAT(refusal, Contains("mist.warm true is refused by interlock needle (warming only "
                                 "while the needle runs)"));
    CHECK(pen->get_param("mist", "flow_ml_min").as_number() == Approx(2.5));
    CHECK(pen->get_param("mist", "warm") == ParamValue(false));

    // With the needle running the interlock holds.
    pen->set_speed(Speed::hz(100));
    pen->start();
    pen->set_param("mist", "warm", true);
    CHECK(pen->get_param("mist", "warm") == ParamValue(true));
    pen->stop();

    // Telemetry follows the parameters, read by key in the channel's unit.
    CHECK(wait_for_status(*pen, [&](const Status& s) {
        const auto flow = mist.telemetry(s, "flow_ml_min");
        return flow && *flow > 2.3;
    }));
    const auto all = pen->get_params("mist");
    REQUIRE(all.size() == 4);
    CHECK(all[0].key == "spray");
    pen->close();
}

TEST_CASE("attach and detach events make the app read the module list again", "[stack][modules]") {
    TempDir dir;
    const std::string file = dir.write("mist.json", mist_descriptor(unique_tag()));
    ModulePen sim({"--module", file});
    auto pen = Pen::connect(sim.url, stack_options());
    std::mutex mutex;
    std::vector<Event> events;
    auto subscription = pen->subscribe_events([&](const Event& e) {
        std::lock_guard lock(mutex);
        events.push_back(e);
    });
    const auto saw = [&](EventKind kind) {
        return wait_until([&] {
            std::lock_guard lock(mutex);
            for (const auto& e : events)
                if (e.kind == kind && e.detail == 1) return true;
            return false;
        });
    };
    REQUIRE(pen->modules().size() == 1);

    REQUIRE(sim.command("module detach 1") == "ok");
    REQUIRE(saw(EventKind::ModuleDetached));
    CHECK(pen->modules().empty());
    CHECK_THAT(message_of<NotSupportedError>([&] { pen->set_param("mist", "spray", true); }),
               Contains("no module \"mist\" is fitted to the pen (fitted: none)"));

    REQUIRE(sim.command("module attach " + file) == "ok slot 1");
    REQUIRE(saw(EventKind::ModuleAttached));
    REQUIRE(pen->modules().size() == 1);
    pen->set_param("mist", "spray", true);
    pen->close();
}

TEST_CASE("a corrupt descriptor chunk is read again; a pen that keeps corrupting is refused",
          "[stack][modules]") {
    TempDir dir;
    {
        const std::string file = dir.write("once.json", mist_descriptor(unique_tag()));
        ModulePen sim({"--module", file});
        REQUIRE(sim.command("module corrupt-chunk 1 1") == "ok");
        auto pen = Pen::connect(sim.url, stack_options());
        CHECK(pen->modules().size() == 1);
    }
    const std::string file = dir.write("always.json", mist_descriptor(unique_tag()));
    ModulePen sim({"--module", file});
    REQUIRE(sim.command("module corrupt-chunk 1 1000") == "ok");
    const std::string why =
        message_of<RejectedError>([&] { Pen::connect(sim.url, stack_options()); });
    CHECK_THAT(why, Contains("could not read the descriptor of the module in slot 1") &&
                        Contains("in 3 attempts"));
}

TEST_CASE("a pen that does not store descriptors is served from a partner directory",
          "[stack][modules]") {
    TempDir dir;
    TempDir partner;
    const std::string text = mist_descriptor(unique_tag());
    const std::string file = dir.write("mist.json", text);
    ModulePen sim({"--module", file, "--module-store", "0"});
    CHECK_THAT(message_of<NotSupportedError>([&] { Pen::connect(sim.url, stack_options()); }),
               Contains("keeps its descriptor off the pen"));
    partner.write("mist-head.json", text);
    ConnectOptions options = stack_options();
    options.module_paths = {partner.path.string()};
    auto pen = Pen::connect(sim.url, options);
    REQUIRE(pen->modules().size() == 1);
    pen->set_param("mist", "serum", "hyaluronic");
    CHECK(pen->get_param("mist", "serum") == ParamValue("hyaluronic"));
    pen->close();
}
