// What the C ABI costs over the C++ API: the same cheap, non-blocking call through both, timed
// over many iterations against the in-process simulator.
//
//   capi_overhead [iterations]      (default 1000000)
//
// The C path adds the handle-registry lookup (a shared lock and a hash probe), the exception
// guard and, for status, the struct conversion.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "penlink/penlink.h"
#include "penlink/penlink.hpp"

namespace {

template <class Call>
double nanoseconds_per_call(long iterations, Call&& call) {
    const auto begin = std::chrono::steady_clock::now();
    for (long i = 0; i < iterations; ++i) call();
    const auto elapsed = std::chrono::steady_clock::now() - begin;
    return std::chrono::duration<double, std::nano>(elapsed).count() /
           static_cast<double>(iterations);
}

void report(const char* name, double c_ns, double cpp_ns) {
    std::printf("%-22s C %8.1f ns/call   C++ %8.1f ns/call   ratio %.2f\n", name, c_ns, cpp_ns,
                c_ns / cpp_ns);
}

}  // namespace

int main(int argc, char** argv) {
    const long iterations = argc > 1 ? std::atol(argv[1]) : 1'000'000;
    if (iterations <= 0) {
        std::fprintf(stderr, "usage: %s [iterations > 0]\n", argv[0]);
        return 2;
    }
    pl_pen* c_pen = nullptr;
    if (pl_pen_connect(&c_pen, "sim://", nullptr) != 0) {
        std::fprintf(stderr, "connect: %s\n", pl_error_last());
        return 1;
    }
    std::unique_ptr<penlink::Pen> cpp_pen;
    try {
        cpp_pen = penlink::Pen::connect("sim://");
    } catch (const penlink::Error& error) {
        std::fprintf(stderr, "connect: %s\n", error.what());
        pl_pen_free(c_pen);
        return 1;
    }

    // Sums keep the compiler from dropping the calls.
    std::int64_t sink = 0;
    const double c_limit = nanoseconds_per_call(iterations, [&] {
        std::int32_t limit = 0;
        pl_pen_depth_limit_um(&limit, c_pen);
        sink += limit;
    });
    const double cpp_limit =
        nanoseconds_per_call(iterations, [&] { sink += cpp_pen->depth_limit().in_um(); });

    pl_status c_frame = PL_STATUS_INIT;  // initialised once, as an app polling it would
    const double c_status = nanoseconds_per_call(iterations, [&] {
        int available = 0;
        pl_pen_latest_status(&c_frame, &available, c_pen);
        sink += c_frame.sequence + available;
    });
    const double cpp_status = nanoseconds_per_call(iterations, [&] {
        const auto status = cpp_pen->latest_status();
        sink += status ? status->sequence + 1 : 0;
    });

    std::printf("penlink %s, %ld iterations (checksum %lld)\n", pl_version_string(), iterations,
                static_cast<long long>(sink));
    report("depth limit", c_limit, cpp_limit);
    report("latest status", c_status, cpp_status);
    pl_pen_free(c_pen);
    return 0;
}
