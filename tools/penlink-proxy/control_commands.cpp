#include "control_commands.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>
#include <sstream>
#include <vector>

namespace penlink::proxytool {
namespace {

struct Failure {
    std::string why;
};

std::vector<std::string> words_of(std::string_view line) {
    std::istringstream stream{std::string(line)};
    std::vector<std::string> words;
    for (std::string word; stream >> word;) words.push_back(word);
    return words;
}

std::vector<Direction> directions_of(const std::string& word) {
    if (word == "h2p") return {Direction::HostToPen};
    if (word == "p2h") return {Direction::PenToHost};
    if (word == "both") return {Direction::HostToPen, Direction::PenToHost};
    throw Failure{"unknown direction '" + word + "'; use h2p, p2h or both"};
}

double number_of(const std::string& word, const char* what) {
    errno = 0;
    char* end = nullptr;
    const double value = std::strtod(word.c_str(), &end);
    if (word.empty() || end != word.c_str() + word.size() || errno == ERANGE ||
        !std::isfinite(value)) {
        throw Failure{std::string(what) + " '" + word + "' is not a number"};
    }
    return value;
}

double probability_of(const std::string& word) {
    const double p = number_of(word, "probability");
    if (p < 0.0 || p > 1.0) throw Failure{"probability " + word + " is outside 0..1"};
    return p;
}

std::uint64_t count_of(const std::string& word, const char* what, std::uint64_t max) {
    const double value = number_of(word, what);
    if (value < 0.0 || value != std::floor(value) || value > static_cast<double>(max)) {
        throw Failure{std::string(what) + " " + word + " is not a whole number 0.." +
                      std::to_string(max)};
    }
    return static_cast<std::uint64_t>(value);
}

void expect_arguments(const std::vector<std::string>& words, std::size_t count, const char* usage) {
    if (words.size() != count + 1) throw Failure{std::string("usage: ") + usage};
}

std::string run(Proxy& proxy, const std::vector<std::string>& words) {
    const std::string& verb = words[0];
    auto each = [&](const std::vector<Direction>& directions, auto&& apply) {
        for (const Direction direction : directions) apply(proxy.settings(direction));
        proxy.settings_changed();
    };

    if (verb == "drop" || verb == "dup" || verb == "duplicate" || verb == "corrupt" ||
        verb == "truncate") {
        expect_arguments(words, 2, (verb + " h2p|p2h|both PROBABILITY").c_str());
        const auto directions = directions_of(words[1]);
        const double p = probability_of(words[2]);
        each(directions, [&](FaultSettings& s) {
            if (verb == "drop") s.drop = p;
            if (verb == "dup" || verb == "duplicate") s.duplicate = p;
            if (verb == "corrupt") s.corrupt = p;
            if (verb == "truncate") s.truncate = p;
        });
        return "ok " + verb + " " + words[1] + " " + words[2];
    }
    if (verb == "stall") {
        expect_arguments(words, 2, "stall h2p|p2h|both MILLISECONDS");
        const auto directions = directions_of(words[1]);
        const auto ms = count_of(words[2], "stall time (ms)", 3'600'000);
        const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
        each(directions, [&](FaultSettings& s) { s.stalled_until = until; });
        return "ok stall " + words[1] + " " + words[2];
    }
    if (verb == "throttle") {
        expect_arguments(words, 2, "throttle h2p|p2h|both BYTES_PER_SECOND (0 = unlimited)");
        const auto directions = directions_of(words[1]);
        const auto rate = count_of(words[2], "rate (bytes/s)", 100'000'000);
        each(directions,
             [&](FaultSettings& s) { s.throttle_bytes_per_s = static_cast<std::uint32_t>(rate); });
        return "ok throttle " + words[1] + " " + words[2];
    }
    if (verb == "unplug") {
        expect_arguments(words, 0, "unplug");
        return proxy.unplug() ? "ok unplugged" : "ok no host connected";
    }
    if (verb == "pen-loss") {
        expect_arguments(words, 1, "pen-loss hangup|keep");
        if (words[1] == "hangup") {
            proxy.set_pen_loss(PenLoss::HangUp);
        } else if (words[1] == "keep") {
            proxy.set_pen_loss(PenLoss::KeepHost);
        } else {
            throw Failure{"pen-loss '" + words[1] + "': use hangup or keep"};
        }
        return "ok pen-loss " + words[1];
    }
    if (verb == "seed") {
        expect_arguments(words, 1, "seed N");
        proxy.reseed(count_of(words[1], "seed", std::uint64_t{1} << 53));
        return "ok seed " + words[1];
    }
    if (verb == "clear") {
        expect_arguments(words, 0, "clear");
        proxy.clear_faults();
        return "ok cleared";
    }
    if (verb == "stats") {
        expect_arguments(words, 0, "stats");
        return "ok " + proxy.stats_text();
    }
    if (verb == "help") return std::string("ok ") + command_summary();
    throw Failure{"unknown command '" + verb + "'; try help"};
}

}  // namespace

const char* command_summary() {
    return "commands: drop|dup|corrupt|truncate DIR P, stall DIR MS, throttle DIR BYTES_PER_S, "
           "unplug, pen-loss hangup|keep, seed N, clear, stats, help (DIR: h2p, p2h, both)";
}

std::string execute_command(Proxy& proxy, std::string_view line) {
    const auto words = words_of(line);
    if (words.empty() || words[0].starts_with('#')) return {};
    try {
        return run(proxy, words);
    } catch (const Failure& failure) {
        return "error: " + failure.why;
    }
}

}  // namespace penlink::proxytool
