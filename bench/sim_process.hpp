// Runs penlink-sim as a child process for the benchmarks and returns the URL it serves.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

namespace bench {

class SimProcess {
public:
    explicit SimProcess(std::vector<std::string> args) {
        int out[2];
        if (pipe(out) != 0) throw std::runtime_error("pipe failed");
        pid_ = fork();
        if (pid_ < 0) throw std::runtime_error("fork failed");
        if (pid_ == 0) {
            dup2(out[1], STDOUT_FILENO);
            close(out[0]);
            close(out[1]);
            std::vector<char*> argv;
            static std::string exe = PENLINK_SIM_PATH;
            argv.push_back(exe.data());
            for (auto& arg : args) argv.push_back(arg.data());
            argv.push_back(nullptr);
            execv(exe.c_str(), argv.data());
            _exit(127);
        }
        close(out[1]);
        std::string line;
        char c;
        while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
        close(out[0]);
        if (line.rfind("PTY ", 0) == 0) {
            url_ = "serial://" + line.substr(4);
            path_ = line.substr(4);
        } else if (line.rfind("TCP ", 0) == 0) {
            url_ = "tcp://" + line.substr(4);
        } else {
            throw std::runtime_error("penlink-sim did not start: '" + line + "'");
        }
    }
    ~SimProcess() {
        kill(pid_, SIGTERM);
        int status = 0;
        waitpid(pid_, &status, 0);
    }
    SimProcess(const SimProcess&) = delete;
    SimProcess& operator=(const SimProcess&) = delete;

    const std::string& url() const { return url_; }
    const std::string& pty_path() const { return path_; }

private:
    pid_t pid_ = -1;
    std::string url_;
    std::string path_;
};

}  // namespace bench
