// bench_codec: what encoding and decoding one Status frame costs, against MAVLink v2's C library
// on a message of the same payload size (GPS2_RAW, 57 bytes like a plain Status), measured in the
// same run. Encoding is the frame from the message's fields to wire bytes (penlink: header,
// payload, CRC, COBS, delimiter; MAVLink: mavlink_msg_*_pack and mavlink_msg_to_send_buffer).
// Decoding is a stream of such frames back to the message's struct (penlink: FrameDecoder::feed;
// MAVLink: mavlink_parse_char over every byte, then mavlink_msg_*_decode).
//
// penlink encodes a Status with encode_status_frame (the simulator's status stream); the generic
// encode_frame it used before is measured too.
//
// Usage: bench_codec [runs (default 7)] [frames per case and run (default 100000)]
// Each run measures every case once, interleaved, so a change in the machine's load hits all of
// them alike; ratios penlink / MAVLink are taken per run, then reported as median (min-max).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "protocol/frame.hpp"
#include "result_line.hpp"
#include "stats.hpp"
#ifdef PENLINK_BENCH_MAVLINK
#include "mavlink_codec.h"
#endif

namespace {

using namespace penlink::protocol;
using Bytes = std::vector<std::uint8_t>;

volatile std::uint64_t g_sink = 0;  // keeps every result alive

// A running pen's Status; i moves the fields that change from frame to frame.
Status make_status(std::uint32_t i, std::uint8_t telemetry) {
    Status status;
    status.status_seq = i;
    status.timestamp_ms = 100'000 + i;
    status.state = PenState::Running;
    status.depth_set_um = 1500;
    status.depth_actual_um = static_cast<std::uint16_t>(1490 + i % 20);
    status.speed_set_chz = 12000;
    status.speed_actual_chz = static_cast<std::uint16_t>(11950 + i % 100);
    status.battery_pct = 87;
    status.temperature_cdeg = 3312;
    status.cartridge_id = 0x12345678;
    status.cartridge_strokes = 250'000 + i;
    status.cartridge_stroke_limit = 2'000'000;
    status.rf_flags = 3;
    status.rf_impedance_ohm = 180;
    status.rf_energy_mj = 52'000 + i;
    status.led_flags = 1;
    status.led_wavelength_nm = 633;
    status.led_dose_uj_cm2 = 9'000 + i;
    status.fault_bits = 0;
    status.session_id = 0x5EED1234;
    status.depth_limit_um = 2500;
    status.telemetry_count = telemetry;
    for (std::uint8_t k = 0; k < telemetry; ++k) {
        status.telemetry[k] = {1, static_cast<std::uint8_t>(0x80 + k),
                               static_cast<std::int32_t>(i * 7 + k)};
    }
    return status;
}

constexpr std::array<std::uint8_t, crypto::kCmacKeySize> kKey{
    0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6, 0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c};

double elapsed_ns(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - since)
        .count();
}

// One measured thing: run(frames) does the work for that many frames and returns ns per frame.
struct Case {
    std::string name;
    std::function<double(std::size_t)> run;
    std::vector<double> ns;  // one per run
};

// ---- penlink --------------------------------------------------------------------------

// The generic path every message takes (and Status took before encode_status_frame): a
// Message variant through encode_frame.
double penlink_encode_generic(std::size_t frames, std::uint8_t telemetry) {
    Status status = make_status(0, telemetry);
    std::uint64_t sum = 0;
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < frames; ++i) {
        status.status_seq = static_cast<std::uint32_t>(i);
        const auto frame = encode_frame(static_cast<std::uint16_t>(i), status);
        sum += frame->size + frame->bytes[3];
    }
    const double ns = elapsed_ns(start);
    g_sink = g_sink + sum;
    return ns / static_cast<double>(frames);
}

// The status stream's path: encode_status_frame into a caller's buffer.
double penlink_encode_fast(std::size_t frames, std::uint8_t telemetry, bool sealed) {
    Status status = make_status(0, telemetry);
    FrameSealer sealer(kKey);
    std::array<std::uint8_t, kMaxStatusWireFrameSize> out;
    std::uint64_t sum = 0;
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < frames; ++i) {
        status.status_seq = static_cast<std::uint32_t>(i);
        const auto size = encode_status_frame(static_cast<std::uint16_t>(i), status, out,
                                              sealed ? &sealer : nullptr);
        sum += *size + out[3];
    }
    const double ns = elapsed_ns(start);
    g_sink = g_sink + sum;
    return ns / static_cast<double>(frames);
}

// frames pre-encoded into one stream, each with its own values.
Bytes penlink_stream(std::size_t frames, std::uint8_t telemetry, FrameSealer* sealer) {
    Bytes stream;
    stream.reserve(frames * 80);
    for (std::size_t i = 0; i < frames; ++i) {
        const auto frame =
            encode_frame(static_cast<std::uint16_t>(i),
                         make_status(static_cast<std::uint32_t>(i), telemetry), sealer);
        stream.insert(stream.end(), frame->view().begin(), frame->view().end());
    }
    return stream;
}

double penlink_decode(const Bytes& stream, std::size_t frames, bool sealed) {
    FrameDecoder decoder;
    FrameOpener opener(kKey);  // fresh each run: the stream's counters start again at 1
    if (sealed) decoder.set_opener(&opener);
    std::uint64_t sum = 0;
    std::size_t decoded = 0, errors = 0;
    const auto start = std::chrono::steady_clock::now();
    decoder.feed(
        stream,
        [&](const DecodedFrame& frame) {
            ++decoded;
            if (const auto* status = std::get_if<Status>(&frame.message)) sum += status->status_seq;
        },
        [&](FrameError) { ++errors; });
    const double ns = elapsed_ns(start);
    if (decoded != frames || errors != 0) {
        std::fprintf(stderr, "bench_codec: penlink decoded %zu of %zu frames, %zu errors\n",
                     decoded, frames, errors);
        std::exit(1);
    }
    g_sink = g_sink + sum;
    return ns / static_cast<double>(frames);
}

std::size_t penlink_wire_size(std::uint8_t telemetry, FrameSealer* sealer) {
    return encode_frame(1, make_status(1, telemetry), sealer)->size;
}

// ---- MAVLink --------------------------------------------------------------------------

#ifdef PENLINK_BENCH_MAVLINK
double mavlink_encode(std::size_t frames, int message) {
    std::vector<std::uint8_t> out(bench_mavlink_max_packet());
    std::uint64_t sum = 0;
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < frames; ++i) {
        sum += bench_mavlink_encode(message, static_cast<std::uint32_t>(i), out.data()) + out[2];
    }
    const double ns = elapsed_ns(start);
    g_sink = g_sink + sum;
    return ns / static_cast<double>(frames);
}

Bytes mavlink_stream(std::size_t frames, int message) {
    Bytes stream;
    stream.reserve(frames * bench_mavlink_max_packet());
    std::vector<std::uint8_t> out(bench_mavlink_max_packet());
    for (std::size_t i = 0; i < frames; ++i) {
        const std::size_t size =
            bench_mavlink_encode(message, static_cast<std::uint32_t>(i), out.data());
        stream.insert(stream.end(), out.begin(), out.begin() + static_cast<std::ptrdiff_t>(size));
    }
    return stream;
}

double mavlink_decode(const Bytes& stream, std::size_t frames, int message) {
    std::uint64_t sum = 0;
    const auto start = std::chrono::steady_clock::now();
    const std::size_t decoded = bench_mavlink_decode(message, stream.data(), stream.size(), &sum);
    const double ns = elapsed_ns(start);
    if (decoded != frames) {
        std::fprintf(stderr, "bench_codec: MAVLink decoded %zu of %zu frames\n", decoded, frames);
        std::exit(1);
    }
    g_sink = g_sink + sum;
    return ns / static_cast<double>(frames);
}
#endif

// ---- reporting ------------------------------------------------------------------------

struct Spread {
    double median, min, max;
};
Spread spread(const std::vector<double>& values) {
    return {bench::percentile(values, 0.5), *std::min_element(values.begin(), values.end()),
            *std::max_element(values.begin(), values.end())};
}

void print_cases(const char* title, const std::vector<Case>& cases) {
    std::printf("%s (ns per frame: median [min-max] over runs)\n", title);
    for (const auto& c : cases) {
        const Spread s = spread(c.ns);
        std::printf("  %-52s %7.1f [%.1f-%.1f]\n", c.name.c_str(), s.median, s.min, s.max);
    }
}

// With `result`, also the RESULT line for scripts/bench.sh (target: no slower than MAVLink).
void print_ratio(const char* label, const Case& penlink, const Case& other,
                 const char* result = nullptr) {
    std::vector<double> ratios;
    for (std::size_t r = 0; r < penlink.ns.size(); ++r)
        ratios.push_back(penlink.ns[r] / other.ns[r]);
    const Spread s = spread(ratios);
    std::printf("  %-52s %.2fx (%.2f-%.2fx)\n", label, s.median, s.min, s.max);
    if (result) {
        char floor[160];
        std::snprintf(floor, sizeof floor, "%s %.1f ns/frame (median)", other.name.c_str(),
                      bench::percentile(other.ns, 0.5));
        bench::print_result(result, "x", ratios, "<=1", floor);
    }
}

}  // namespace

int main(int argc, char** argv) {
    const int runs = argc > 1 ? std::atoi(argv[1]) : 7;
    const std::size_t frames = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 100'000;
    if (runs < 1 || frames < 1) {
        std::fprintf(stderr, "usage: bench_codec [runs >= 1] [frames >= 1]\n");
        return 2;
    }

    FrameSealer size_sealer(kKey);
    const std::size_t plain_wire = penlink_wire_size(0, nullptr);
    const std::size_t telemetry_wire = penlink_wire_size(8, nullptr);
    const std::size_t sealed_wire = penlink_wire_size(0, &size_sealer);

    // Decode inputs, made once: the sealed stream is opened by a fresh opener in each run.
    FrameSealer stream_sealer(kKey);
    const Bytes plain_stream = penlink_stream(frames, 0, nullptr);
    const Bytes telemetry_stream = penlink_stream(frames, 8, nullptr);
    const Bytes sealed_stream = penlink_stream(frames, 0, &stream_sealer);

    const auto label = [](const char* what, std::size_t payload, std::size_t wire) {
        return std::string(what) + ", " + std::to_string(payload) + " B payload, " +
               std::to_string(wire) + " B wire";
    };

    std::vector<Case> encode{
        {label("penlink Status", 57, plain_wire),
         [](std::size_t n) { return penlink_encode_fast(n, 0, false); },
         {}},
        {label("penlink Status + 8 telemetry", 57 + 8 * 6, telemetry_wire),
         [](std::size_t n) { return penlink_encode_fast(n, 8, false); },
         {}},
        {label("penlink Status sealed (CMAC)", 57 + kSealSize, sealed_wire),
         [](std::size_t n) { return penlink_encode_fast(n, 0, true); },
         {}},
        {label("penlink Status, generic encode_frame", 57, plain_wire),
         [](std::size_t n) { return penlink_encode_generic(n, 0); },
         {}},
        {label("penlink Status + 8 telemetry, generic", 57 + 8 * 6, telemetry_wire),
         [](std::size_t n) { return penlink_encode_generic(n, 8); },
         {}},
    };
    std::vector<Case> decode{
        {label("penlink Status", 57, plain_wire),
         [&](std::size_t n) { return penlink_decode(plain_stream, n, false); },
         {}},
        {label("penlink Status + 8 telemetry", 57 + 8 * 6, telemetry_wire),
         [&](std::size_t n) { return penlink_decode(telemetry_stream, n, false); },
         {}},
        {label("penlink Status sealed (CMAC)", 57 + kSealSize, sealed_wire),
         [&](std::size_t n) { return penlink_decode(sealed_stream, n, true); },
         {}},
    };
    const std::size_t penlink_cases_encode = encode.size();
    const std::size_t penlink_cases_decode = decode.size();

#ifdef PENLINK_BENCH_MAVLINK
    std::vector<Bytes> mavlink_streams;
    for (int m = 0; m < BENCH_MAVLINK_MESSAGE_COUNT; ++m) {
        mavlink_streams.push_back(mavlink_stream(frames, m));
        const std::size_t wire = mavlink_streams.back().size() / frames;
        const std::string name = std::string("MAVLink v2 ") + bench_mavlink_name(m);
        encode.push_back({label(name.c_str(), bench_mavlink_payload_length(m), wire),
                          [m](std::size_t n) { return mavlink_encode(n, m); },
                          {}});
        decode.push_back({label(name.c_str(), bench_mavlink_payload_length(m), wire),
                          [&mavlink_streams, m](std::size_t n) {
                              return mavlink_decode(mavlink_streams[static_cast<std::size_t>(m)], n,
                                                    m);
                          },
                          {}});
    }
#endif

    // One unmeasured pass warms caches and branch predictors.
    for (auto* cases : {&encode, &decode})
        for (auto& c : *cases) c.run(frames);
    for (int r = 0; r < runs; ++r) {
        for (auto* cases : {&encode, &decode})
            for (auto& c : *cases) c.ns.push_back(c.run(frames));
    }

    std::printf("bench_codec: %d runs of %zu frames per case\n", runs, frames);
    print_cases("encode", encode);
    print_cases("decode", decode);
#ifdef PENLINK_BENCH_MAVLINK
    std::printf("ratios penlink / MAVLink, per run (median (min-max)); below 1 = penlink faster\n");
    const Case& gps2_encode = encode[penlink_cases_encode];
    const Case& gps2_decode = decode[penlink_cases_decode];
    print_ratio("encode Status / GPS2_RAW (same payload size)", encode[0], gps2_encode,
                "codec_encode_ratio");
    print_ratio("decode Status / GPS2_RAW (same payload size)", decode[0], gps2_decode,
                "codec_decode_ratio");
    print_ratio("encode Status / GPS_RAW_INT", encode[0], encode[penlink_cases_encode + 1]);
    print_ratio("decode Status / GPS_RAW_INT", decode[0], decode[penlink_cases_decode + 1]);
    print_ratio("encode Status / ATTITUDE", encode[0], encode[penlink_cases_encode + 2]);
    print_ratio("decode Status / ATTITUDE", decode[0], decode[penlink_cases_decode + 2]);
#else
    (void)penlink_cases_encode;
    (void)penlink_cases_decode;
    std::printf(
        "MAVLink comparison SKIPPED: its C headers were not generated at configure time "
        "(bench/gen_mavlink.sh needs the pymavlink package: pip install pymavlink, then "
        "re-run cmake)\n");
#endif
    return 0;
}
