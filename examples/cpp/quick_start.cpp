// penlink quick start: connect, set depth and speed, run briefly while reading status.
#include <chrono>
#include <cstdio>
#include <thread>

#include <penlink/penlink.hpp>

int main(int argc, char** argv) try {
    auto pen = penlink::Pen::connect(argc > 1 ? argv[1] : "sim://");  // or serial:///dev/ttyUSB0
    std::printf("connected to %s %s\n", pen->info().model.c_str(),
                pen->info().serial_number.c_str());
    pen->set_depth(penlink::Depth::mm(0.5));
    pen->set_speed(penlink::Speed::hz(100));
    auto status = pen->subscribe_status(
        [](const penlink::Status& s) {  // runs on the pen's callback thread
            std::printf("%s  depth %.2f mm  speed %.0f Hz\n", penlink::to_string(s.state),
                        s.depth_actual_mm, s.speed_actual_hz);
        },
        5);
    pen->start();
    std::this_thread::sleep_for(std::chrono::seconds(1));
    pen->stop();
    return 0;
} catch (const penlink::Error& error) {
    std::fprintf(stderr, "penlink: %s\n", error.what());
    return 1;
}
