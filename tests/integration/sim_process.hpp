// A real penlink-sim child process for whole-stack tests.
//
// Starts tools/penlink-sim with the given flags, reads its first stdout line ("PTY /dev/pts/N"
// or "TCP 127.0.0.1:PORT") within a deadline, and turns it into the URL a Pen connects to.
// The destructor stops the child with SIGTERM and reaps it with waitpid (SIGKILL if it does not
// go within a few seconds), so a failing test never leaves a simulator behind.
#pragma once

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <sys/types.h>

namespace penlink::test {

class SimProcess {
public:
    enum class Link { Pty, Tcp };

    /// Throws std::runtime_error if the simulator cannot start or does not say where it listens.
    explicit SimProcess(Link link, const std::vector<std::string>& extra_args = {});
    ~SimProcess();
    SimProcess(const SimProcess&) = delete;
    SimProcess& operator=(const SimProcess&) = delete;

    /// "serial:///dev/pts/N" or "tcp://127.0.0.1:PORT".
    const std::string& url() const { return url_; }
    /// "/dev/pts/N" for a pty link, empty for TCP.
    const std::string& pty_path() const { return pty_path_; }
    pid_t pid() const { return pid_; }

    /// True once the child has exited (reaps it if so). Never blocks.
    bool exited();
    /// Sends SIGTERM and waits (bounded) for the child to go. Idempotent.
    void stop();

private:
    bool wait_exit(std::chrono::milliseconds timeout);

    pid_t pid_ = -1;
    bool reaped_ = false;
    int stdout_fd_ = -1;
    std::thread drain_;  // keeps reading the child's stdout so it never blocks on a full pipe
    std::string url_;
    std::string pty_path_;
};

}  // namespace penlink::test
