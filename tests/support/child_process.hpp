// Runs a program (penctl, penlink-sim) as a real child process for the tests: collects
// stdout and stderr, can signal it mid-run, and never waits past a deadline (a child that
// overstays is killed and the test fails instead of hanging).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace penlink::tooltest {

struct Finished {
    int exit_code = -1;  ///< exit status, or -1 if it died of a signal or was killed
    bool timed_out = false;
    std::string out;  ///< everything it wrote to stdout
    std::string err;  ///< everything it wrote to stderr
};

class ChildProcess {
public:
    /// Starts program with args; env entries are added to (or replace in) the environment.
    ChildProcess(const std::string& program, const std::vector<std::string>& args,
                 const std::map<std::string, std::string>& env = {});
    ~ChildProcess();  // kills and reaps the child if still running
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return pid_; }
    /// Reads output until stdout holds `text` or the deadline passes; returns whether it did.
    bool wait_for_output(const std::string& text, std::chrono::milliseconds timeout);
    /// The rest of the first whole stdout line that starts with prefix (penlink-sim's
    /// "TCP 127.0.0.1:40123" -> "127.0.0.1:40123"), reading output for up to timeout until
    /// there is one; nullopt if none came.
    std::optional<std::string> announced(const std::string& prefix,
                                         std::chrono::milliseconds timeout);
    void send_signal(int signal);
    /// Reads output until the child exits; kills it when the timeout passes.
    Finished finish(std::chrono::milliseconds timeout);
    const std::string& out() const { return out_; }

private:
    /// Reads what is available (up to `timeout`); false once both pipes are closed.
    bool pump(std::chrono::milliseconds timeout);
    void kill_and_reap();

    pid_t pid_ = -1;
    int out_fd_ = -1;
    int err_fd_ = -1;
    std::string out_;
    std::string err_;
};

/// Runs to completion (default deadline 60 s).
Finished run(const std::string& program, const std::vector<std::string>& args,
             const std::map<std::string, std::string>& env = {},
             std::chrono::milliseconds timeout = std::chrono::seconds(60));

}  // namespace penlink::tooltest
