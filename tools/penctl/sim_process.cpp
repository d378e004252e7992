#include "sim_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <thread>

#ifndef PENCTL_SIM_BUILD_PATH
#define PENCTL_SIM_BUILD_PATH ""
#endif

namespace penctl {
namespace {

constexpr auto kAnnounceTimeout = std::chrono::seconds(5);
constexpr auto kExitGrace = std::chrono::seconds(2);

bool is_executable(const std::string& path) {
    return !path.empty() && access(path.c_str(), X_OK) == 0;
}

std::string directory_of_this_program() {
    char path[4096];
    const ssize_t length = readlink("/proc/self/exe", path, sizeof path - 1);
    if (length <= 0) return {};
    const std::string text(path, static_cast<std::size_t>(length));
    const auto slash = text.rfind('/');
    return slash == std::string::npos ? std::string{} : text.substr(0, slash);
}

std::string read_announcement(int fd, pid_t pid) {
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + kAnnounceTimeout;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            throw std::runtime_error("penlink-sim (pid " + std::to_string(pid) +
                                     ") did not announce its port within " +
                                     std::to_string(kAnnounceTimeout.count()) + " s");
        }
        pollfd readable{fd, POLLIN, 0};
        const int ready = poll(&readable, 1, static_cast<int>(left.count()));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) continue;
        char chunk[256];
        const ssize_t got = read(fd, chunk, sizeof chunk);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) throw std::runtime_error("penlink-sim exited before announcing its port");
        line.append(chunk, static_cast<std::size_t>(got));
        if (const auto end = line.find('\n'); end != std::string::npos) {
            line.resize(end);
            return line;
        }
    }
}

}  // namespace

std::string find_sim_executable() {
    if (const char* from_env = std::getenv("PENLINK_SIM"); from_env && *from_env) {
        if (!is_executable(from_env)) {
            throw std::runtime_error(std::string("PENLINK_SIM=") + from_env +
                                     " is not an executable file");
        }
        return from_env;
    }
    const std::string beside = directory_of_this_program() + "/penlink-sim";
    if (is_executable(beside)) return beside;
    if (is_executable(PENCTL_SIM_BUILD_PATH)) return PENCTL_SIM_BUILD_PATH;
    throw std::runtime_error(
        "cannot find penlink-sim (looked at $PENLINK_SIM, " + beside +
        (std::strlen(PENCTL_SIM_BUILD_PATH) ? std::string(" and ") + PENCTL_SIM_BUILD_PATH : "") +
        "); set PENLINK_SIM to its path");
}

SimProcess::SimProcess(const std::string& executable, const std::vector<std::string>& args) {
    // Everything the child needs is prepared before fork(): after it only async-signal-safe
    // calls are allowed.
    std::vector<std::string> argv_text{executable};
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& arg : argv_text) argv.push_back(arg.data());
    argv.push_back(nullptr);

    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
        throw std::runtime_error(std::string("cannot create a pipe for penlink-sim: ") +
                                 std::strerror(errno));
    }
    const pid_t parent = getpid();
    pid_ = fork();
    if (pid_ < 0) {
        const int error = errno;
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        throw std::runtime_error(std::string("cannot start penlink-sim: ") + std::strerror(error));
    }
    if (pid_ == 0) {
        setpgid(0, 0);
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent) _exit(127);  // penctl died before prctl took effect
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);  // penctl blocks SIGINT/SIGTERM; the sim must not
        signal(SIGPIPE, SIG_DFL);
        dup2(pipe_fds[1], STDOUT_FILENO);  // dup2 clears O_CLOEXEC on the copy
        execv(argv[0], argv.data());
        _exit(127);
    }
    close(pipe_fds[1]);
    try {
        announcement_ = read_announcement(pipe_fds[0], pid_);
    } catch (...) {
        close(pipe_fds[0]);
        stop();
        throw;
    }
    // The sim prints nothing more on stdout; closing our end is harmless (it ignores SIGPIPE).
    close(pipe_fds[0]);
}

SimProcess::~SimProcess() { stop(); }

std::string SimProcess::url() const {
    if (announcement_.rfind("PTY ", 0) == 0) return "serial://" + announcement_.substr(4);
    if (announcement_.rfind("TCP ", 0) == 0) return "tcp://" + announcement_.substr(4);
    throw std::runtime_error("penlink-sim announced '" + announcement_ +
                             "', expected 'PTY /dev/pts/N'");
}

void SimProcess::stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    // Poll for the exit in short sleeps: bounded, and simpler than a SIGCHLD-driven wait.
    const auto deadline = std::chrono::steady_clock::now() + kExitGrace;
    while (waitpid(pid_, nullptr, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() >= deadline) {
            kill(pid_, SIGKILL);
            waitpid(pid_, nullptr, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    pid_ = -1;
}

}  // namespace penctl
