// penlink-sim as a child process: the one launcher that penctl's demo, the whole-stack tests and
// the benchmarks share.
//
// Starts the simulator with the given arguments, reads its announcement (the first stdout line,
// "PTY /dev/pts/N" or "TCP 127.0.0.1:PORT") within a deadline and turns it into the URL a Pen
// connects to. After that a helper thread keeps reading the child's stdout, so the child never
// blocks on a full pipe. The destructor stops the child (SIGTERM, then SIGKILL after a grace
// period) and reaps it, so no caller ever leaves a simulator behind.
//
// POSIX only; no dependency on libpenlink. One SimProcess belongs to one thread: its members
// are not safe to call concurrently.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace penlink::simtool {

struct LaunchOptions {
    /// How long the child may take to announce where it listens.
    std::chrono::milliseconds start_timeout = std::chrono::seconds(10);
    /// How long stop() waits after SIGTERM before it sends SIGKILL.
    std::chrono::milliseconds stop_grace = std::chrono::seconds(5);
    /// Put the child in a process group of its own, so Ctrl-C on the terminal reaches only the
    /// parent, which can then switch the pen off before it ends the simulator.
    bool own_process_group = false;
    /// Linux: SIGTERM the child when the parent dies, even if the parent is SIGKILLed. The
    /// kernel ties this to the thread that started the child, so start it from a thread that
    /// lives as long as the child should (penctl uses its main thread).
    bool die_with_parent = false;
};

class SimProcess {
public:
    /// Starts `executable` with `args`. Throws std::runtime_error, naming the executable, if it
    /// cannot start, exits, or does not announce a PTY or TCP link within start_timeout.
    SimProcess(const std::string& executable, const std::vector<std::string>& args,
               LaunchOptions options = {});
    ~SimProcess();
    SimProcess(const SimProcess&) = delete;
    SimProcess& operator=(const SimProcess&) = delete;

    /// The first stdout line of the child, e.g. "PTY /dev/pts/4".
    const std::string& announcement() const { return announcement_; }
    /// "serial:///dev/pts/N" or "tcp://127.0.0.1:PORT".
    const std::string& url() const { return url_; }
    /// "/dev/pts/N" for a pty link, empty for TCP.
    const std::string& pty_path() const { return pty_path_; }
    pid_t pid() const { return pid_; }

    /// True once the child has exited (reaps it if so). Never blocks.
    bool exited();
    /// Sends SIGTERM and waits up to stop_grace for the child to go, then SIGKILLs it.
    /// Idempotent.
    void stop();

private:
    void spawn(const std::string& executable, const std::vector<std::string>& args);
    void read_announcement();
    void start_draining();
    bool wait_exit(std::chrono::milliseconds timeout);

    LaunchOptions options_;
    pid_t pid_ = -1;
    bool reaped_ = false;
    int stdout_fd_ = -1;
    std::thread drain_;
    std::string announcement_;
    std::string url_;
    std::string pty_path_;
};

/// Where penlink-sim is, for programs that find it at run time: $PENLINK_SIM if set, else
/// beside the running program, else `build_tree_path` (may be empty). Throws
/// std::runtime_error saying where it looked.
std::string locate_sim_executable(const std::string& build_tree_path);

}  // namespace penlink::simtool
