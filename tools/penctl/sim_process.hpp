// penlink-sim as a child process of `penctl demo`, serving one simulated pen on a
// pseudo-terminal so the demo drives the real serial transport.
//
// The child gets its own process group (Ctrl-C on the terminal reaches penctl only, which then
// stops the pen before ending the child) and dies with penctl even if penctl is killed.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace penctl {

/// Where penlink-sim is: $PENLINK_SIM, else next to the running penctl, else the path of the
/// build tree penctl was built in. Throws std::runtime_error saying where it looked.
std::string find_sim_executable();

class SimProcess {
public:
    /// Starts `executable` with `args` and reads its announcement line ("PTY /dev/pts/N");
    /// throws std::runtime_error if it does not start or announce within a few seconds.
    SimProcess(const std::string& executable, const std::vector<std::string>& args);
    /// Ends the child: SIGTERM, then SIGKILL if it has not exited within two seconds.
    ~SimProcess();
    SimProcess(const SimProcess&) = delete;
    SimProcess& operator=(const SimProcess&) = delete;

    /// The first stdout line of the child, e.g. "PTY /dev/pts/4".
    const std::string& announcement() const { return announcement_; }
    /// The pen URL for the announced link: serial:///dev/pts/N or tcp://127.0.0.1:PORT.
    std::string url() const;
    pid_t pid() const { return pid_; }

private:
    void stop();

    pid_t pid_ = -1;
    std::string announcement_;
};

}  // namespace penctl
