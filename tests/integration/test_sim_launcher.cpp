// The penlink-sim launcher shared by penctl, these tests and the benchmarks: what it reads from
// the real simulator, and how it fails and cleans up when a child misbehaves (played by sh).
#include <catch2/catch.hpp>

#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "penlink-sim/launcher.hpp"
#include "stack_helpers.hpp"

namespace penlink::test {
namespace {

using Catch::Matchers::Contains;
using simtool::LaunchOptions;
using simtool::SimProcess;

bool process_gone(pid_t pid) { return kill(pid, 0) != 0 && errno == ESRCH; }

/// A file path unique to this test process, removed again at scope end.
class TempPath {
public:
    explicit TempPath(const std::string& name)
        : path_("/tmp/penlink-launcher-" + std::to_string(getpid()) + "-" + name) {
        std::remove(path_.c_str());
    }
    ~TempPath() { std::remove(path_.c_str()); }
    const std::string& str() const { return path_; }

private:
    std::string path_;
};

/// The pid a shell child wrote to path before misbehaving.
std::optional<pid_t> pid_written_to(const std::string& path) {
    std::ifstream in(path);
    long pid = 0;
    if (in >> pid && pid > 0) return static_cast<pid_t>(pid);
    return std::nullopt;
}

std::string start_error(const std::string& executable, const std::vector<std::string>& args,
                        LaunchOptions options = {}) {
    try {
        SimProcess child(executable, args, options);
    } catch (const std::runtime_error& error) {
        return error.what();
    }
    return "(no error)";
}

TEST_CASE("the launcher reads where penlink-sim listens and stops it", "[launcher]") {
    SimProcess pty_sim(PENLINK_SIM_EXE, {"--pty", "--quiet"});
    CHECK(pty_sim.announcement() == "PTY " + pty_sim.pty_path());
    CHECK_THAT(pty_sim.pty_path(), Catch::StartsWith("/dev/pts/"));
    CHECK(pty_sim.url() == "serial://" + pty_sim.pty_path());
    CHECK(access(pty_sim.pty_path().c_str(), F_OK) == 0);

    SimProcess tcp_sim(PENLINK_SIM_EXE, {"--tcp", "0", "--quiet"});
    CHECK_THAT(tcp_sim.url(), Catch::StartsWith("tcp://127.0.0.1:"));
    CHECK(tcp_sim.pty_path().empty());

    REQUIRE(tcp_sim.pid() > 0);
    CHECK_FALSE(tcp_sim.exited());
    tcp_sim.stop();
    CHECK(tcp_sim.exited());
    CHECK(process_gone(tcp_sim.pid()));
    tcp_sim.stop();  // idempotent
    CHECK(tcp_sim.exited());
}

TEST_CASE("a launch that cannot start says which executable and why", "[launcher]") {
    const auto message = start_error("/nonexistent/penlink-sim", {"--pty"});
    CHECK_THAT(message,
               Contains("/nonexistent/penlink-sim") && Contains("No such file or directory"));
}

TEST_CASE("a child that exits without announcing is reported", "[launcher]") {
    CHECK_THAT(start_error("/bin/sh", {"-c", "exit 3"}),
               Contains("/bin/sh") && Contains("exited before announcing where it listens"));
}

TEST_CASE("a wrong announcement is quoted and the child is ended", "[launcher]") {
    const TempPath pid_file("wrong-line");
    const auto message = start_error(
        "/bin/sh", {"-c", "echo $$ > " + pid_file.str() + "; echo hello; exec sleep 30"});
    CHECK_THAT(message, Contains("announced 'hello'") && Contains("PTY /dev/pts/N"));
    const auto pid = pid_written_to(pid_file.str());
    REQUIRE(pid);
    CHECK(process_gone(*pid));
}

TEST_CASE("a child that stays silent past the start deadline is ended", "[launcher]") {
    const TempPath pid_file("silent");
    LaunchOptions options;
    options.start_timeout = std::chrono::milliseconds(500);
    const auto message =
        start_error("/bin/sh", {"-c", "echo $$ > " + pid_file.str() + "; exec sleep 30"}, options);
    CHECK_THAT(message, Contains("did not announce where it listens within 500 ms"));
    const auto pid = pid_written_to(pid_file.str());
    REQUIRE(pid);
    CHECK(process_gone(*pid));
}

TEST_CASE("stop kills a child that ignores SIGTERM once the grace period is over", "[launcher]") {
    LaunchOptions options;
    options.stop_grace = std::chrono::milliseconds(100);
    // An ignored signal stays ignored across exec, so sleep ignores SIGTERM too.
    SimProcess stubborn("/bin/sh", {"-c", "trap '' TERM; echo 'TCP 127.0.0.1:1'; exec sleep 30"},
                        options);
    CHECK(stubborn.url() == "tcp://127.0.0.1:1");
    stubborn.stop();
    CHECK(stubborn.exited());
    CHECK(process_gone(stubborn.pid()));
}

TEST_CASE("output after the announcement keeps being read", "[launcher]") {
    const TempPath marker("drained");
    // A megabyte is far more than a pipe holds: the child gets past it only if someone reads.
    SimProcess chatty("/bin/sh", {"-c",
                                  "echo 'TCP 127.0.0.1:1'; head -c 1000000 /dev/zero; "
                                  "touch " +
                                      marker.str() + "; exec sleep 30"});
    CHECK(wait_until([&] { return access(marker.str().c_str(), F_OK) == 0; }));
}

TEST_CASE("launch options: own process group, and ending with the starting thread", "[launcher]") {
    LaunchOptions options;
    options.own_process_group = true;
    options.die_with_parent = true;
    std::unique_ptr<SimProcess> sim;
    // PR_SET_PDEATHSIG fires when the thread that started the child ends, as the option's
    // comment warns; that makes the option observable without killing this process.
    std::thread starter([&] {
        sim = std::make_unique<SimProcess>(
            PENLINK_SIM_EXE, std::vector<std::string>{"--tcp", "0", "--quiet"}, options);
    });
    starter.join();
    REQUIRE(sim);
    CHECK(getpgid(sim->pid()) == sim->pid());
    CHECK(wait_until([&] { return sim->exited(); }));
}

TEST_CASE("locating penlink-sim: $PENLINK_SIM first, then the build tree", "[launcher]") {
    const char* saved = std::getenv("PENLINK_SIM");
    const std::optional<std::string> previous =
        saved ? std::optional<std::string>(saved) : std::nullopt;

    unsetenv("PENLINK_SIM");
    CHECK(simtool::locate_sim_executable(PENLINK_SIM_EXE) == PENLINK_SIM_EXE);
    try {
        simtool::locate_sim_executable("");
        FAIL("found a penlink-sim without being told where");
    } catch (const std::runtime_error& error) {
        CHECK_THAT(error.what(), Contains("cannot find penlink-sim") && Contains("PENLINK_SIM"));
    }

    setenv("PENLINK_SIM", "/nonexistent/penlink-sim", 1);
    CHECK_THROWS_WITH(simtool::locate_sim_executable(PENLINK_SIM_EXE),
                      Contains("PENLINK_SIM=/nonexistent/penlink-sim is not an executable"));

    if (previous) {
        setenv("PENLINK_SIM", previous->c_str(), 1);
    } else {
        unsetenv("PENLINK_SIM");
    }
}

}  // namespace
}  // namespace penlink::test
