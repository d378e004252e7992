// Baseline for the language bindings: status callbacks per second delivered into C++ from the
// in-process simulator (sim://) streaming at its highest rate.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "penlink/penlink.hpp"

int main(int argc, char** argv) {
    const double seconds = argc > 1 ? std::atof(argv[1]) : 2.0;
    penlink::set_log_level(penlink::LogLevel::Error);
    // e.g. "sim://?max_status_hz=65535" to stream at the wire's highest rate
    const char* url = argc > 2 ? argv[2] : "sim://";
    auto pen = penlink::Pen::connect(url);
    const int rate = pen->capabilities().max_status_rate_hz;
    std::atomic<unsigned long long> delivered{0};
    auto subscription = pen->subscribe_status([&](const penlink::Status&) { ++delivered; }, rate);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const auto before = delivered.load();
    const auto start = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double per_second = static_cast<double>(delivered.load() - before) / wall;
    std::printf("C++ status callbacks from sim:// at %d Hz: %.0f/s (dropped %llu)\n", rate,
                per_second, static_cast<unsigned long long>(pen->dropped_status_frames()));
    return 0;
}
