#include "child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <stdexcept>
#include <thread>

namespace penlink::tooltest {
namespace {

void close_fd(int& fd) {
    if (fd >= 0) close(fd);
    fd = -1;
}

}  // namespace

ChildProcess::ChildProcess(const std::string& program, const std::vector<std::string>& args,
                           const std::map<std::string, std::string>& env) {
    std::vector<std::string> argv_text{program};
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& arg : argv_text) argv.push_back(arg.data());
    argv.push_back(nullptr);

    int out_pipe[2];
    int err_pipe[2];
    if (pipe2(out_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    if (pipe2(err_pipe, O_CLOEXEC) != 0) {
        close(out_pipe[0]);
        close(out_pipe[1]);
        throw std::runtime_error("pipe failed");
    }
    pid_ = fork();
    if (pid_ == 0) {
        for (const auto& [name, value] : env) setenv(name.c_str(), value.c_str(), 1);
        dup2(out_pipe[1], STDOUT_FILENO);
        dup2(err_pipe[1], STDERR_FILENO);
        execv(argv[0], argv.data());
        _exit(127);
    }
    close(out_pipe[1]);
    close(err_pipe[1]);
    out_fd_ = out_pipe[0];
    err_fd_ = err_pipe[0];
    if (pid_ < 0) {
        close_fd(out_fd_);
        close_fd(err_fd_);
        throw std::runtime_error("fork failed");
    }
}

ChildProcess::~ChildProcess() {
    kill_and_reap();
    close_fd(out_fd_);
    close_fd(err_fd_);
}

void ChildProcess::kill_and_reap() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
}

bool ChildProcess::pump(std::chrono::milliseconds timeout) {
    pollfd fds[2] = {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}};
    if (out_fd_ < 0 && err_fd_ < 0) return false;
    const int ready = poll(fds, 2, static_cast<int>(timeout.count()));
    if (ready <= 0) return true;
    for (auto& fd : fds) {
        if (fd.fd < 0 || !(fd.revents & (POLLIN | POLLHUP | POLLERR))) continue;
        char chunk[4096];
        const ssize_t got = read(fd.fd, chunk, sizeof chunk);
        if (got < 0 && errno == EINTR) continue;
        int& owned = fd.fd == out_fd_ ? out_fd_ : err_fd_;
        std::string& sink = fd.fd == out_fd_ ? out_ : err_;
        if (got <= 0) {
            close_fd(owned);
        } else {
            sink.append(chunk, static_cast<std::size_t>(got));
        }
    }
    return out_fd_ >= 0 || err_fd_ >= 0;
}

bool ChildProcess::wait_for_output(const std::string& text, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (out_.find(text) == std::string::npos) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || !pump(left)) return out_.find(text) != std::string::npos;
    }
    return true;
}

std::optional<std::string> ChildProcess::announced(const std::string& prefix,
                                                   std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        for (std::size_t start = 0; start < out_.size();) {
            const auto end = out_.find('\n', start);
            if (end == std::string::npos) break;
            if (out_.compare(start, prefix.size(), prefix) == 0) {
                return out_.substr(start + prefix.size(), end - start - prefix.size());
            }
            start = end + 1;
        }
        wait_for_output(prefix, std::chrono::milliseconds(100));
    }
    return std::nullopt;
}

void ChildProcess::send_signal(int signal) {
    if (pid_ > 0) kill(pid_, signal);
}

Finished ChildProcess::finish(std::chrono::milliseconds timeout) {
    Finished result;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    // Both pipes close when the child exits (grandchildren could keep them open; penctl's
    // simulator child is reaped before penctl exits, so they do not).
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            result.timed_out = true;
            kill_and_reap();
            break;
        }
        if (!pump(left)) break;
    }
    // Pipes closed normally means the child has exited; still, never wait past the deadline.
    while (pid_ > 0) {
        int status = 0;
        const pid_t done = waitpid(pid_, &status, WNOHANG);
        if (done == pid_) {
            pid_ = -1;
            result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        } else if (done < 0 || std::chrono::steady_clock::now() >= deadline) {
            result.timed_out = done >= 0;
            kill_and_reap();
        } else {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }
    result.out = out_;
    result.err = err_;
    return result;
}

Finished run(const std::string& program, const std::vector<std::string>& args,
             const std::map<std::string, std::string>& env, std::chrono::milliseconds timeout) {
    ChildProcess child(program, args, env);
    return child.finish(timeout);
}

}  // namespace penlink::tooltest
