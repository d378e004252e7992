// Runs the real penlink-sim binary as a child process for the tool tests.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace penlink::sim::test {

class SimProcess {
public:
    /// Starts penlink-sim with args; its stdout (and stderr, if asked) go to a pipe we read.
    SimProcess(const std::string& exe, const std::vector<std::string>& args,
               bool capture_stderr = false) {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0) return;
        read_fd_ = fds[0];
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
        if (capture_stderr) posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
        std::vector<std::string> storage{exe};
        storage.insert(storage.end(), args.begin(), args.end());
        std::vector<char*> argv;
        for (auto& arg : storage) argv.push_back(arg.data());
        argv.push_back(nullptr);
        if (::posix_spawn(&pid_, exe.c_str(), &actions, nullptr, argv.data(), environ) != 0)
            pid_ = -1;
        posix_spawn_file_actions_destroy(&actions);
        ::close(fds[1]);
    }

    ~SimProcess() {
        if (pid_ > 0 && !exited_) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
        if (read_fd_ >= 0) ::close(read_fd_);
    }

    SimProcess(const SimProcess&) = delete;
    SimProcess& operator=(const SimProcess&) = delete;

    bool started() const { return pid_ > 0; }

    /// The next line of output, or nullopt if none arrives within timeout.
    std::optional<std::string> read_line(
        std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        std::string line;
        while (true) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) return std::nullopt;
            pollfd pfd{read_fd_, POLLIN, 0};
            if (::poll(&pfd, 1, static_cast<int>(left.count())) <= 0) return std::nullopt;
            char c = 0;
            if (::read(read_fd_, &c, 1) != 1)
                return line.empty() ? std::nullopt : std::optional(line);
            if (c == '\n') return line;
            line.push_back(c);
        }
    }

    /// Sends sig and waits (bounded) for the exit; returns the exit code, or nullopt if the
    /// process did not exit normally in time.
    std::optional<int> signal_and_wait(
        int sig, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
        if (pid_ <= 0) return std::nullopt;
        if (sig != 0) ::kill(pid_, sig);
        return wait(timeout);
    }

    std::optional<int> wait(std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        int status = 0;
        while (std::chrono::steady_clock::now() < deadline) {
            const pid_t done = ::waitpid(pid_, &status, WNOHANG);
            if (done == pid_) {
                exited_ = true;
                if (WIFEXITED(status)) return WEXITSTATUS(status);
                return std::nullopt;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return std::nullopt;
    }

private:
    pid_t pid_ = -1;
    int read_fd_ = -1;
    bool exited_ = false;
};

}  // namespace penlink::sim::test
