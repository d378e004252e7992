// Who owns a run in progress: this host, this process and the moment it started, so that a
// later open() can tell a run whose process died (interrupted) from one still running, and a
// reused process id from the original.
#pragma once

#include <cstdint>
#include <string>

namespace penlink::records {

struct ProcessIdentity {
    std::string host;
    std::int64_t pid = 0;
    std::string start;  // the kernel's start time of the process ("" where unknown)
};

ProcessIdentity this_process();
/// False only when it is certain: same host, and the process is gone, a zombie, or another
/// process now has its id. A run of another host is never judged.
bool certainly_dead(const ProcessIdentity& owner);

}  // namespace penlink::records
