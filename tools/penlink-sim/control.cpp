#include "control.hpp"

#include <unistd.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <list>
#include <sstream>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include "penlink/errors.hpp"

namespace penlink::simtool {
namespace {

using Kind = ControlCommand::Kind;

std::vector<std::string> split_words(std::string_view line) {
    std::vector<std::string> words;
    std::istringstream stream{std::string(line)};
    std::string word;
    while (stream >> word) words.push_back(word);
    return words;
}

double number_arg(const std::vector<std::string>& words, std::size_t index, double min, double max,
                  const char* what) {
    if (index >= words.size()) {
        throw InvalidArgumentError(words[0] + " needs " + what);
    }
    const std::string& text = words[index];
    double value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(value) ||
        value < min || value > max) {
        char range[96];
        std::snprintf(range, sizeof range, "%g to %g", min, max);
        throw InvalidArgumentError(words[0] + ": '" + text + "' is not " + what + " (" + range +
                                   ")");
    }
    return value;
}

std::uint32_t integer_arg(const std::vector<std::string>& words, std::size_t index,
                          std::uint32_t min, std::uint32_t max, const char* what) {
    if (index >= words.size()) throw InvalidArgumentError(words[0] + " needs " + what);
    const std::string& text = words[index];
    std::uint32_t value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr != text.data() + text.size() || value < min || value > max) {
        throw InvalidArgumentError(words[0] + ": '" + text + "' is not " + what + " (" +
                                   std::to_string(min) + " to " + std::to_string(max) + ")");
    }
    return value;
}

void expect_count(const std::vector<std::string>& words, std::size_t count, const char* usage) {
    if (words.size() != count) {
        throw InvalidArgumentError(std::string("usage: ") + usage);
    }
}

}  // namespace

const char* control_help() {
    return "reboot | reboot-link-down MS | temperature C | heat C_PER_S | battery PCT | "
           "drain PCT_PER_S | charge on|off | fault BIT | estop-button | button N | "
           "cartridge remove | cartridge insert ID LIMIT | busy MS | module attach FILE | "
           "module detach SLOT | module corrupt-chunk SLOT N | help";
}

ControlCommand parse_control_command(std::string_view line) {
    const auto words = split_words(line);
    if (words.empty()) throw InvalidArgumentError("empty command; try help");
    const std::string& verb = words[0];
    ControlCommand command;
    if (verb == "help") {
        expect_count(words, 1, "help");
        command.kind = Kind::Help;
    } else if (verb == "reboot") {
        expect_count(words, 1, "reboot");
        command.kind = Kind::Reboot;
    } else if (verb == "reboot-link-down") {
        expect_count(words, 2, "reboot-link-down MS");
        command.kind = Kind::RebootLinkDown;
        command.first = integer_arg(words, 1, 0, 3'600'000, "a time in ms");
    } else if (verb == "temperature") {
        expect_count(words, 2, "temperature C");
        command.kind = Kind::Temperature;
        command.number = number_arg(words, 1, -40.0, 150.0, "a temperature in C");
    } else if (verb == "heat") {
        expect_count(words, 2, "heat C_PER_S");
        command.kind = Kind::Heat;
        command.number = number_arg(words, 1, -100.0, 100.0, "a heating rate in C/s");
    } else if (verb == "battery") {
        expect_count(words, 2, "battery PCT");
        command.kind = Kind::Battery;
        command.number = number_arg(words, 1, 0.0, 100.0, "a charge in %");
    } else if (verb == "drain") {
        expect_count(words, 2, "drain PCT_PER_S");
        command.kind = Kind::Drain;
        command.number = number_arg(words, 1, -100.0, 100.0, "a drain rate in %/s");
    } else if (verb == "charge") {
        expect_count(words, 2, "charge on|off");
        if (words[1] != "on" && words[1] != "off") {
            throw InvalidArgumentError("charge: '" + words[1] + "' is not on or off");
        }
        command.kind = Kind::Charge;
        command.on = words[1] == "on";
    } else if (verb == "fault") {
        expect_count(words, 2, "fault BIT");
        command.kind = Kind::Fault;
        command.first = integer_arg(words, 1, 0, 31, "a fault bit");
    } else if (verb == "estop-button") {
        expect_count(words, 1, "estop-button");
        command.kind = Kind::EstopButton;
    } else if (verb == "button") {
        expect_count(words, 2, "button N");
        command.kind = Kind::Button;
        command.first = integer_arg(words, 1, 0, 255, "a button index");
    } else if (verb == "busy") {
        expect_count(words, 2, "busy MS");
        command.kind = Kind::Busy;
        command.first = integer_arg(words, 1, 0, 3'600'000, "a time in ms");
    } else if (verb == "cartridge" && words.size() >= 2 && words[1] == "remove") {
        expect_count(words, 2, "cartridge remove");
        command.kind = Kind::CartridgeRemove;
    } else if (verb == "cartridge" && words.size() >= 2 && words[1] == "insert") {
        expect_count(words, 4, "cartridge insert ID LIMIT");
        command.kind = Kind::CartridgeInsert;
        command.first = integer_arg(words, 2, 1, 0xFFFFFFFFu, "a cartridge id");
        command.second = integer_arg(words, 3, 1, 0xFFFFFFFFu, "a stroke limit");
    } else if (verb == "cartridge") {
        throw InvalidArgumentError("usage: cartridge remove | cartridge insert ID LIMIT");
    } else if (verb == "module" && words.size() >= 2 && words[1] == "attach") {
        // The file name is the rest of the line, so it may contain spaces.
        const auto at = line.find("attach") + std::string_view("attach").size();
        const auto start = line.find_first_not_of(" \t", at);
        const auto end = line.find_last_not_of(" \t\r\n");
        if (start == std::string_view::npos)
            throw InvalidArgumentError("usage: module attach FILE");
        command.kind = Kind::ModuleAttach;
        command.text = std::string(line.substr(start, end - start + 1));
    } else if (verb == "module" && words.size() >= 2 && words[1] == "detach") {
        expect_count(words, 3, "module detach SLOT");
        command.kind = Kind::ModuleDetach;
        command.first = integer_arg(words, 2, 1, 255, "a slot");
    } else if (verb == "module" && words.size() >= 2 && words[1] == "corrupt-chunk") {
        expect_count(words, 4, "module corrupt-chunk SLOT N");
        command.kind = Kind::ModuleCorrupt;
        command.first = integer_arg(words, 2, 1, 255, "a slot");
        command.second = integer_arg(words, 3, 0, 1'000'000, "a number of chunks");
    } else if (verb == "module") {
        throw InvalidArgumentError(
            "usage: module attach FILE | module detach SLOT | module corrupt-chunk SLOT N");
    } else {
        throw InvalidArgumentError("unknown command '" + verb + "'; try help");
    }
    return command;
}

std::string apply_control_command(ControlTarget& target, const ControlCommand& command) {
    sim::SimDevice& device = target.device();
    if (command.kind != Kind::Help && command.kind != Kind::RebootLinkDown && !device.powered()) {
        return "error: the pen is off (rebooting)";
    }
    switch (command.kind) {
        case Kind::Help:
            return std::string("ok ") + control_help();
        case Kind::Reboot:
            device.reboot();
            break;
        case Kind::RebootLinkDown:
            if (!device.powered()) return "error: the pen is already off (rebooting)";
            target.reboot_link_down(std::chrono::milliseconds(command.first));
            break;
        case Kind::Temperature:
            device.set_temperature_c(command.number);
            break;
        case Kind::Heat:
            device.set_heating_c_per_s(command.number);
            break;
        case Kind::Battery:
            device.set_battery_pct(command.number);
            break;
        case Kind::Drain:
            device.set_drain_pct_per_s(command.number);
            break;
        case Kind::Charge:
            device.set_charging(command.on);
            break;
        case Kind::Fault:
            device.inject_fault(command.first);
            break;
        case Kind::EstopButton:
            device.press_emergency_stop_button();
            break;
        case Kind::Button:
            device.press_button(command.first);
            break;
        case Kind::CartridgeRemove:
            device.remove_cartridge();
            break;
        case Kind::CartridgeInsert:
            device.insert_cartridge(command.first, command.second);
            break;
        case Kind::Busy:
            device.set_busy_for(std::chrono::milliseconds(command.first));
            break;
        case Kind::ModuleAttach:
            return "ok slot " + std::to_string(device.attach_module(command.text));
        case Kind::ModuleDetach:
            device.detach_module(static_cast<std::uint8_t>(command.first));
            break;
        case Kind::ModuleCorrupt:
            device.corrupt_descriptor_chunks(static_cast<std::uint8_t>(command.first),
                                             command.second);
            break;
    }
    return "ok";
}

std::string run_control_line(ControlTarget& target, std::string_view line) {
    if (split_words(line).empty()) return {};
    try {
        return apply_control_command(target, parse_control_command(line));
    } catch (const std::exception& error) {
        return std::string("error: ") + error.what();
    }
}

ScheduledCommand parse_scheduled_command(const std::string& text) {
    const auto colon = text.find(':');
    if (colon == std::string::npos || colon == 0) {
        throw InvalidArgumentError("--at '" + text + "' is not MS:COMMAND (e.g. 2000:reboot)");
    }
    std::uint32_t ms = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + colon, ms);
    if (ec != std::errc() || ptr != text.data() + colon) {
        throw InvalidArgumentError("--at '" + text + "': '" + text.substr(0, colon) +
                                   "' is not a time in ms");
    }
    ScheduledCommand scheduled{std::chrono::milliseconds(ms), text.substr(colon + 1)};
    try {
        parse_control_command(scheduled.command);
    } catch (const InvalidArgumentError& error) {
        throw InvalidArgumentError("--at '" + text + "': " + error.what());
    }
    return scheduled;
}

// ---- channels -------------------------------------------------------------------------------

struct ControlChannels::Impl {
    Impl(boost::asio::io_context& io_context, ControlTarget& control_target, bool quiet_log)
        : io(io_context), target(control_target), quiet(quiet_log), acceptor(io_context) {}

    struct Connection {
        explicit Connection(boost::asio::ip::tcp::socket connected)
            : socket(std::move(connected)) {}
        boost::asio::ip::tcp::socket socket;
        boost::asio::streambuf input;
        std::string answer;
    };

    boost::asio::io_context& io;
    ControlTarget& target;
    bool quiet;
    bool stopped = false;
    boost::asio::ip::tcp::acceptor acceptor;
    std::list<std::shared_ptr<Connection>> connections;
    std::unique_ptr<boost::asio::posix::stream_descriptor> console;
    boost::asio::streambuf console_input;
    std::list<boost::asio::steady_timer> timers;

    static std::string take_line(boost::asio::streambuf& buffer, std::size_t size) {
        std::string line(
            boost::asio::buffers_begin(buffer.data()),
            boost::asio::buffers_begin(buffer.data()) + static_cast<std::ptrdiff_t>(size));
        buffer.consume(size);
        while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
        return line;
    }

    void accept_next() {
        acceptor.async_accept(
            [this](const boost::system::error_code& error, boost::asio::ip::tcp::socket socket) {
                if (stopped) return;
                if (!error) {
                    auto connection = std::make_shared<Connection>(std::move(socket));
                    connections.push_back(connection);
                    read_line(connection);
                }
                accept_next();
            });
    }

    void read_line(const std::shared_ptr<Connection>& connection) {
        boost::asio::async_read_until(
            connection->socket, connection->input, '\n',
            [this, connection](const boost::system::error_code& error, std::size_t size) {
                if (stopped) return;
                if (error) {
                    connections.remove(connection);
                    return;
                }
                const std::string line = take_line(connection->input, size);
                const std::string answer = run_control_line(target, line);
                if (answer.empty()) {
                    read_line(connection);
                    return;
                }
                log(line, answer);
                connection->answer = answer + "\n";
                boost::asio::async_write(
                    connection->socket, boost::asio::buffer(connection->answer),
                    [this, connection](const boost::system::error_code& write_error, std::size_t) {
                        if (stopped) return;
                        if (write_error) {
                            connections.remove(connection);
                            return;
                        }
                        read_line(connection);
                    });
            });
    }

    void read_console() {
        boost::asio::async_read_until(
            *console, console_input, '\n',
            [this](const boost::system::error_code& error, std::size_t size) {
                if (stopped || error) return;  // EOF: the console is gone, the pen stays
                const std::string answer = run_control_line(target, take_line(console_input, size));
                if (!answer.empty()) {
                    std::printf("%s\n", answer.c_str());
                    std::fflush(stdout);
                }
                read_console();
            });
    }

    void log(const std::string& line, const std::string& answer) const {
        if (!quiet)
            std::fprintf(stderr, "penlink-sim: control '%s': %s\n", line.c_str(), answer.c_str());
    }
};

ControlChannels::ControlChannels(boost::asio::io_context& io, ControlTarget& target, bool quiet)
    : impl_(std::make_unique<Impl>(io, target, quiet)) {}

ControlChannels::~ControlChannels() { stop(); }

std::uint16_t ControlChannels::listen(std::uint16_t port) {
    using boost::asio::ip::tcp;
    const tcp::endpoint endpoint(boost::asio::ip::address_v4::loopback(), port);
    impl_->acceptor.open(endpoint.protocol());
    impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
    impl_->acceptor.bind(endpoint);
    impl_->acceptor.listen();
    impl_->accept_next();
    return impl_->acceptor.local_endpoint().port();
}

void ControlChannels::read_stdin() {
    const int fd = ::dup(STDIN_FILENO);
    if (fd < 0) return;
    impl_->console = std::make_unique<boost::asio::posix::stream_descriptor>(impl_->io, fd);
    impl_->read_console();
}

void ControlChannels::schedule(const std::vector<ScheduledCommand>& commands) {
    for (const ScheduledCommand& scheduled : commands) {
        auto& timer = impl_->timers.emplace_back(impl_->io);
        timer.expires_after(scheduled.at);
        timer.async_wait([impl = impl_.get(),
                          command = scheduled.command](const boost::system::error_code& error) {
            if (error || impl->stopped) return;
            impl->log(command, run_control_line(impl->target, command));
        });
    }
}

void ControlChannels::stop() {
    if (impl_->stopped) return;
    impl_->stopped = true;
    boost::system::error_code ignored;
    impl_->acceptor.close(ignored);
    for (auto& connection : impl_->connections) connection->socket.close(ignored);
    impl_->connections.clear();
    if (impl_->console) impl_->console->close(ignored);
    for (auto& timer : impl_->timers) timer.cancel();
}

}  // namespace penlink::simtool
