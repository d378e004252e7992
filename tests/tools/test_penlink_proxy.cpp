// penlink-proxy as a tool: its control language and command line refuse bad input with a
// one-line reason and keep running; stdin works as a control channel like the control port.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

#include "child_process.hpp"
#include "fault_proxy.hpp"

namespace {

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using penlink::test::FaultProxy;
using penlink::test::FaultProxyOptions;
using penlink::tooltest::run;

FaultProxyOptions setup() {
    FaultProxyOptions options;
    options.sim_executable = PENLINK_SIM_PATH;
    options.proxy_executable = PENLINK_PROXY_PATH;
    return options;
}

// The proxy's reply to a command it must refuse.
std::string refusal(FaultProxy& proxy, const std::string& line) {
    try {
        proxy.command(line);
    } catch (const std::runtime_error& error) {
        return error.what();
    }
    return "<accepted>";
}

TEST_CASE("the proxy refuses bad control commands with a reason and keeps running",
          "[penlink-proxy]") {
    FaultProxy proxy(setup());
    CHECK_THAT(refusal(proxy, "frobnicate"), Contains("error: unknown command 'frobnicate'"));
    CHECK_THAT(refusal(proxy, "drop h2p 1.5"), Contains("error: probability 1.5 is outside 0..1"));
    CHECK_THAT(refusal(proxy, "dup p2h -0.1"), Contains("outside 0..1"));
    CHECK_THAT(refusal(proxy, "corrupt both nan"), Contains("'nan' is not a number"));
    CHECK_THAT(refusal(proxy, "truncate sideways 0.1"),
               Contains("error: unknown direction 'sideways'; use h2p, p2h or both"));
    CHECK_THAT(refusal(proxy, "drop h2p"), Contains("error: usage: drop h2p|p2h|both"));
    CHECK_THAT(refusal(proxy, "stats now"), Contains("error: usage: stats"));
    CHECK_THAT(refusal(proxy, "stall p2h 2.5"), Contains("not a whole number"));
    CHECK_THAT(refusal(proxy, "throttle both 1e12"), Contains("not a whole number"));
    CHECK_THAT(refusal(proxy, "pen-loss maybe"), Contains("use hangup or keep"));
    CHECK_THAT(refusal(proxy, std::string(3000, 'x')), Contains("unknown command"));

    // Still alive, and the refused commands changed nothing.
    CHECK_THAT(proxy.command("stats"), StartsWith("h2p.frames=0"));
    CHECK(proxy.command("drop both 0.25") == "drop both 0.25");
    CHECK(proxy.command("throttle p2h 11520") == "throttle p2h 11520");
    CHECK(proxy.command("unplug") == "no host connected");
    CHECK(proxy.command("clear") == "cleared");
    CHECK_THAT(proxy.command("help"), Contains("drop|dup|corrupt|truncate DIR P"));

    // A line past the 4096-byte limit has no boundary to resynchronise on: refused, hung up.
    CHECK_THAT(refusal(proxy, std::string(5000, 'x')), Contains("error: line longer than 4096"));
    proxy.reopen_control();
    CHECK_THAT(proxy.command("stats"), StartsWith("h2p.frames=0"));
}

TEST_CASE("the proxy's command line refuses bad options with exit code 2", "[penlink-proxy]") {
    const std::string upstream = "tcp://127.0.0.1:9";
    const auto unknown =
        run(PENLINK_PROXY_PATH, {"--listen-tcp", "0", "--upstream", upstream, "--frobnicate"});
    CHECK(unknown.exit_code == 2);
    CHECK_THAT(unknown.err, Contains("unknown option '--frobnicate'"));

    const auto no_upstream = run(PENLINK_PROXY_PATH, {"--listen-tcp", "0"});
    CHECK(no_upstream.exit_code == 2);
    CHECK_THAT(no_upstream.err, Contains("--upstream URL is required"));

    const auto both_sides =
        run(PENLINK_PROXY_PATH, {"--listen-tcp", "0", "--pty", "/tmp/x", "--upstream", upstream});
    CHECK(both_sides.exit_code == 2);

    const auto bad_url = run(PENLINK_PROXY_PATH, {"--listen-tcp", "0", "--upstream", "ftp://x"});
    CHECK(bad_url.exit_code == 2);
    CHECK_THAT(bad_url.err, Contains("neither tcp://IP:PORT nor serial:///path"));

    const auto bad_fault =
        run(PENLINK_PROXY_PATH, {"--listen-tcp", "0", "--upstream", upstream, "--drop", "p2h:2"});
    CHECK(bad_fault.exit_code == 2);
    CHECK_THAT(bad_fault.err, Contains("probability 2 is outside 0..1"));

    const auto help = run(PENLINK_PROXY_PATH, {"--help"});
    CHECK(help.exit_code == 0);
    CHECK_THAT(help.out, Contains("--upstream URL"));
}

TEST_CASE("the proxy reads commands from stdin and answers on stdout", "[penlink-proxy]") {
    // A shell feeds stdin; `timeout` ends the proxy (SIGTERM) once the commands are answered.
    const std::string script = std::string(
                                   "(printf 'drop p2h 0.5\\nfrobnicate\\nstats\\n'; sleep 1) | "
                                   "timeout 3 ") +
                               PENLINK_PROXY_PATH +
                               " --listen-tcp 0 --upstream tcp://127.0.0.1:9 --quiet";
    const auto result = run("/bin/sh", {"-c", script});
    CHECK_THAT(result.out, StartsWith("ready host="));
    CHECK_THAT(result.out, Contains("control=stdin"));
    CHECK_THAT(result.out, Contains("\nok drop p2h 0.5\n"));
    CHECK_THAT(result.out, Contains("\nerror: unknown command 'frobnicate'; try help\n"));
    CHECK_THAT(result.out, Contains("\nok h2p.frames=0"));
}

}  // namespace
