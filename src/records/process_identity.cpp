#include "records/process_identity.hpp"

#include <unistd.h>

#include <array>
#include <fstream>
#include <sstream>

namespace penlink::records {
namespace {

struct ProcStat {
    bool exists = false;
    char state = '?';
    std::string start;
};

// /proc/PID/stat: "pid (comm) state ... starttime" (starttime is field 22); comm may hold
// spaces and parentheses, so fields are counted from the last ')'.
ProcStat read_stat(std::int64_t pid) {
    ProcStat out;
    std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!file || !std::getline(file, line)) return out;
    const auto close = line.rfind(')');
    if (close == std::string::npos) return out;
    std::istringstream fields(line.substr(close + 1));
    std::string field;
    for (int index = 3; fields >> field; ++index) {
        if (index == 3) out.state = field.empty() ? '?' : field[0];
        if (index == 22) {
            out.start = field;
            break;
        }
    }
    out.exists = true;
    return out;
}

std::string host_name() {
    std::array<char, 256> name{};
    if (::gethostname(name.data(), name.size() - 1) != 0) return "unknown";
    return name.data();
}

}  // namespace

ProcessIdentity this_process() {
    ProcessIdentity me;
    me.host = host_name();
    me.pid = ::getpid();
    me.start = read_stat(me.pid).start;
    return me;
}

bool certainly_dead(const ProcessIdentity& owner) {
    if (owner.host != host_name()) return false;
    const auto stat = read_stat(owner.pid);
    if (!stat.exists) return true;
    if (stat.state == 'Z' || stat.state == 'X') return true;
    return !owner.start.empty() && !stat.start.empty() && stat.start != owner.start;
}

}  // namespace penlink::records
