#include "launcher.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace penlink::simtool {
namespace {

std::string describe(std::chrono::milliseconds duration) {
    const auto count = duration.count();
    return count % 1000 == 0 ? std::to_string(count / 1000) + " s" : std::to_string(count) + " ms";
}

std::string system_error_text(int error) { return std::strerror(error); }

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

// Waits for the child to exec: the error pipe is close-on-exec, so a successful exec shows as
// EOF, while a failed one arrives as the errno the child wrote. Returns 0 on success.
int wait_for_exec(int error_fd) {
    int child_errno = 0;
    for (;;) {
        const ssize_t got = read(error_fd, &child_errno, sizeof child_errno);
        if (got < 0 && errno == EINTR) continue;
        return got == static_cast<ssize_t>(sizeof child_errno) ? child_errno : 0;
    }
}

}  // namespace

SimProcess::SimProcess(const std::string& executable, const std::vector<std::string>& args,
                       LaunchOptions options)
    : options_(options) {
    spawn(executable, args);
    try {
        read_announcement();
        start_draining();
    } catch (const std::exception& error) {
        stop();
        close(stdout_fd_);
        throw std::runtime_error(executable + " (pid " + std::to_string(pid_) + ") " +
                                 error.what());
    }
}

SimProcess::~SimProcess() {
    stop();
    // The child is gone, so its end of the pipe is closed and the drain thread sees EOF.
    if (drain_.joinable()) drain_.join();
    if (stdout_fd_ >= 0) close(stdout_fd_);
}

void SimProcess::spawn(const std::string& executable, const std::vector<std::string>& args) {
    // Everything the child needs is prepared before fork(): after it, in a process that may
    // have other threads, only async-signal-safe calls are allowed.
    std::vector<std::string> argv_text{executable};
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& arg : argv_text) argv.push_back(arg.data());
    argv.push_back(nullptr);

    // Close-on-exec on every end, so other children (and other simulators) never hold these
    // pipes open; dup2 onto the child's stdout clears the flag on that copy only.
    int output[2];
    int exec_error[2];
    if (pipe2(output, O_CLOEXEC) != 0) {
        throw std::runtime_error("cannot create a pipe for " + executable + ": " +
                                 system_error_text(errno));
    }
    if (pipe2(exec_error, O_CLOEXEC) != 0) {
        const int error = errno;
        close(output[0]);
        close(output[1]);
        throw std::runtime_error("cannot create a pipe for " + executable + ": " +
                                 system_error_text(error));
    }
    const pid_t parent = getpid();
    pid_ = fork();
    if (pid_ == 0) {
        if (options_.own_process_group) setpgid(0, 0);
        if (options_.die_with_parent) {
            prctl(PR_SET_PDEATHSIG, SIGTERM);
            if (getppid() != parent) _exit(127);  // the parent died before prctl took effect
        }
        // The parent may block or ignore signals (penctl blocks SIGINT/SIGTERM and ignores
        // SIGPIPE); both survive exec, and the simulator must start with the defaults.
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        signal(SIGPIPE, SIG_DFL);
        dup2(output[1], STDOUT_FILENO);
        execv(argv[0], argv.data());
        const int error = errno;
        [[maybe_unused]] const auto ignored = write(exec_error[1], &error, sizeof error);
        _exit(127);
    }
    const int fork_error = errno;
    close(output[1]);
    close(exec_error[1]);
    if (pid_ < 0) {
        close(output[0]);
        close(exec_error[0]);
        throw std::runtime_error("cannot start " + executable + ": " +
                                 system_error_text(fork_error));
    }
    const int exec_errno = wait_for_exec(exec_error[0]);
    close(exec_error[0]);
    if (exec_errno != 0) {
        waitpid(pid_, nullptr, 0);
        reaped_ = true;
        close(output[0]);
        throw std::runtime_error("cannot start " + executable + ": " +
                                 system_error_text(exec_errno));
    }
    stdout_fd_ = output[0];
}

void SimProcess::read_announcement() {
    const auto deadline = std::chrono::steady_clock::now() + options_.start_timeout;
    std::string line;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            throw std::runtime_error("did not announce where it listens within " +
                                     describe(options_.start_timeout));
        }
        pollfd readable{stdout_fd_, POLLIN, 0};
        const int ready = poll(&readable, 1, static_cast<int>(left.count()));
        if (ready <= 0) continue;  // EINTR or timeout: the deadline check above decides
        // One byte at a time, so nothing after the announcement is consumed here.
        char c = 0;
        const ssize_t got = read(stdout_fd_, &c, 1);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) throw std::runtime_error("exited before announcing where it listens");
        if (c == '\n') break;
        line.push_back(c);
    }
    announcement_ = line;
    if (line.rfind("PTY ", 0) == 0) {
        pty_path_ = line.substr(4);
        url_ = "serial://" + pty_path_;
    } else if (line.rfind("TCP ", 0) == 0) {
        url_ = "tcp://" + line.substr(4);
    } else {
        throw std::runtime_error("announced '" + line +
                                 "', expected 'PTY /dev/pts/N' or 'TCP 127.0.0.1:PORT'");
    }
}

void SimProcess::start_draining() {
    // The drain thread must never be the one a process-directed signal lands on, so it starts
    // with every signal blocked (a new thread inherits the creator's mask).
    sigset_t all;
    sigset_t previous;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &previous);
    try {
        drain_ = std::thread([fd = stdout_fd_] {
            char buffer[256];
            for (;;) {
                const ssize_t got = read(fd, buffer, sizeof buffer);
                if (got == 0 || (got < 0 && errno != EINTR)) return;
            }
        });
    } catch (...) {
        pthread_sigmask(SIG_SETMASK, &previous, nullptr);
        throw;
    }
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
}

bool SimProcess::exited() {
    if (reaped_ || pid_ <= 0) return true;
    const pid_t done = waitpid(pid_, nullptr, WNOHANG);
    if (done == pid_ || (done < 0 && errno == ECHILD)) reaped_ = true;
    return reaped_;
}

bool SimProcess::wait_exit(std::chrono::milliseconds timeout) {
    // Short sleeps between checks: bounded, and simpler than a SIGCHLD-driven wait, which
    // would take the signal away from the rest of the program.
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!exited()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}

void SimProcess::stop() {
    if (exited()) return;
    kill(pid_, SIGTERM);
    if (wait_exit(options_.stop_grace)) return;
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    reaped_ = true;
}

std::string locate_sim_executable(const std::string& build_tree_path) {
    if (const char* from_env = std::getenv("PENLINK_SIM"); from_env && *from_env) {
        if (!is_executable(from_env)) {
            throw std::runtime_error(std::string("PENLINK_SIM=") + from_env +
                                     " is not an executable file");
        }
        return from_env;
    }
    const std::string beside = directory_of_this_program() + "/penlink-sim";
    if (is_executable(beside)) return beside;
    if (is_executable(build_tree_path)) return build_tree_path;
    throw std::runtime_error("cannot find penlink-sim (looked at $PENLINK_SIM, " + beside +
                             (build_tree_path.empty() ? std::string{} : " and " + build_tree_path) +
                             "); set PENLINK_SIM to its path");
}

}  // namespace penlink::simtool
