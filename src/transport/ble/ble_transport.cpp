#include "transport/ble/ble_transport.hpp"

#include <algorithm>
#include <charconv>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "penlink/errors.hpp"
#include "transport/ble/ble_write_queue.hpp"
#include "transport/ble/bluez_client.hpp"
#include "transport/ble/penlink_gatt.hpp"

namespace penlink::transport {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

/// Writes handed to BlueZ and not yet answered. One, as the link is assumed to carry one payload
/// per connection event: an emergency stop then waits behind at most one write.
constexpr int kWritesInFlight = 1;
/// Queue bound, in link time: what the link carries in about this long.
constexpr milliseconds kQueueSpan{2000};
constexpr std::size_t kMinQueueBytes = 4096;
constexpr milliseconds kPollPeriod{20};
constexpr milliseconds kScanPollPeriod{100};

bool has_flag(const bluez::Characteristic& characteristic, const std::string& flag) {
    return std::find(characteristic.flags.begin(), characteristic.flags.end(), flag) !=
           characteristic.flags.end();
}

milliseconds remaining(Clock::time_point deadline) {
    return std::max(milliseconds(1),
                    std::chrono::duration_cast<milliseconds>(deadline - Clock::now()));
}

bool is_adapter_name(const std::string& text) {
    if (text.size() < 4 || text.compare(0, 3, "hci") != 0) return false;
    return std::all_of(text.begin() + 3, text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

// Everything of one open link. Owned by the transport, shared with the handlers posted from
// sdbus-c++'s thread (through weak pointers), so a late signal finds it gone and does nothing.
// Members after `connection` are used on the io thread only, except where noted.
struct BleTransport::Link : std::enable_shared_from_this<Link> {
    Link(const LinkExecutor& io_context, std::string link_name, ReceiveHandler receive,
         ErrorHandler error)
        : io(io_context),
          name(std::move(link_name)),
          on_receive(std::move(receive)),
          on_error(std::move(error)),
          queue(kMinQueueBytes),
          pace_timer(io_context) {}

    ~Link() { teardown(); }

    // ---- set up on the opening thread, before the event loop runs ----

    void open(const std::string& address, const std::string& wanted_name,
              const std::string& adapter_name, int interval_ms, milliseconds timeout) {
        const auto deadline = Clock::now() + timeout;
        connection = bluez::connect_system_bus();
        auto objects = bluez::managed_objects(*connection);
        const bluez::Adapter adapter = bluez::pick_adapter(objects, adapter_name);
        adapter_label = adapter.name;

        const bluez::Device device =
            find_device(objects, adapter, address, wanted_name, deadline, timeout);
        name = "BLE pen " + device.address + (device.name.empty() ? "" : " '" + device.name + "'") +
               " on " + adapter.name;

        auto weak = weak_from_this();
        device_proxy = std::make_unique<bluez::DeviceProxy>(
            *connection, device.path,
            [weak](const std::string& interface, const bluez::Properties& changed) {
                if (interface != "org.bluez.Device1") return;
                auto it = changed.find("Connected");
                if (it == changed.end()) return;
                bool connected = true;
                try {
                    connected = it->second.get<bool>();
                } catch (const sdbus::Error&) {
                    return;
                }
                if (!connected) post_failure(weak, "the pen disconnected");
            });
        try {
            device_proxy->connect(remaining(deadline));
        } catch (const sdbus::Error& error) {
            bluez::throw_error(error, "connecting to " + name);
        }
        device_connected = true;
        wait_for_services(deadline, timeout);

        objects = bluez::managed_objects(*connection);
        const auto characteristics =
            bluez::service_characteristics(objects, device.path, gatt::kServiceUuid);
        if (!characteristics) {
            throw NotSupportedError(name + " is not a penlink pen: none of its " +
                                    std::to_string(bluez::service_count(objects, device.path)) +
                                    " GATT services is the penlink service " + gatt::kServiceUuid);
        }
        const bluez::Characteristic* write = nullptr;
        const bluez::Characteristic* notify = nullptr;
        for (const auto& characteristic : *characteristics) {
            if (!write && has_flag(characteristic, "write-without-response"))
                write = &characteristic;
            if (!notify && has_flag(characteristic, "notify")) notify = &characteristic;
        }
        if (!write || !notify) {
            throw NotSupportedError(name + " has the penlink service but no " +
                                    (write ? "notify" : "write-without-response") +
                                    " characteristic; it is not a penlink pen this SDK can drive");
        }
        // BlueZ reports the negotiated ATT MTU on the characteristic (BlueZ 5.62+).
        const std::size_t mtu = write->mtu.value_or(static_cast<std::uint16_t>(gatt::kDefaultMtu));
        if (mtu <= gatt::kAttHeader) {
            throw ConnectionError(ErrorCode::ConnectionFailed, name + " reports an ATT MTU of " +
                                                                   std::to_string(mtu) +
                                                                   ", too small to carry anything");
        }
        payload = mtu - gatt::kAttHeader;
        write_spacing = milliseconds(interval_ms);
        bytes_per_second = payload * 1000 / static_cast<std::size_t>(interval_ms);
        queue = BleWriteQueue(
            std::max(kMinQueueBytes,
                     bytes_per_second * static_cast<std::size_t>(kQueueSpan.count()) / 1000));

        write_proxy = std::make_unique<bluez::CharacteristicProxy>(
            *connection, write->path, nullptr, [weak](const sdbus::Error* error) {
                std::string failure = error ? bluez::describe(*error) : std::string();
                if (auto self = weak.lock()) {
                    boost::asio::post(self->io, [weak, failure] {
                        if (auto link = weak.lock()) link->on_write_done(failure);
                    });
                }
            });
        notify_proxy = std::make_unique<bluez::CharacteristicProxy>(
            *connection, notify->path,
            [weak](const std::string& interface, const bluez::Properties& changed) {
                if (interface != "org.bluez.GattCharacteristic1") return;
                auto it = changed.find("Value");
                if (it == changed.end()) return;
                std::vector<std::uint8_t> bytes;
                try {
                    bytes = it->second.get<std::vector<std::uint8_t>>();
                } catch (const sdbus::Error&) {
                    return;
                }
                if (auto self = weak.lock()) {
                    boost::asio::post(self->io, [weak, bytes = std::move(bytes)] {
                        if (auto link = weak.lock()) link->on_notification(bytes);
                    });
                }
            },
            nullptr);
        connection->enterEventLoopAsync();
        loop_running = true;
        try {
            notify_proxy->start_notify();
        } catch (const sdbus::Error& error) {
            bluez::throw_error(error, "subscribing to the notifications of " + name);
        }
    }

    bluez::Device find_device(bluez::ManagedObjects& objects, const bluez::Adapter& adapter,
                              const std::string& address, const std::string& wanted_name,
                              Clock::time_point deadline, milliseconds timeout) {
        const auto matches = [&](const bluez::Device& device) {
            return address.empty() ? device.name == wanted_name : device.address == address;
        };
        std::unique_ptr<bluez::AdapterProxy> scanning;
        const auto stop_scan = [&] {
            if (!scanning) return;
            try {
                scanning->stop_discovery();
            } catch (const sdbus::Error&) {
                // BlueZ stops it anyway when the last client goes.
            }
            scanning.reset();
        };
        for (;;) {
            for (const bluez::Device& device : bluez::devices(objects, adapter.path)) {
                if (matches(device)) {
                    stop_scan();
                    return device;
                }
            }
            if (Clock::now() >= deadline) break;
            if (!scanning) {
                scanning = std::make_unique<bluez::AdapterProxy>(*connection, adapter.path);
                try {
                    scanning->start_discovery({{"Transport", sdbus::Variant(std::string("le"))}});
                } catch (const sdbus::Error& error) {
                    scanning.reset();
                    bluez::throw_error(error, "scanning with " + adapter.name);
                }
            }
            std::this_thread::sleep_for(std::min(kScanPollPeriod, remaining(deadline)));
            objects = bluez::managed_objects(*connection);
        }
        stop_scan();
        const std::string wanted = address.empty() ? "named '" + wanted_name + "'" : address;
        throw ConnectionError(ErrorCode::ConnectionFailed,
                              "no BLE device " + wanted + " found by " + adapter.name + " within " +
                                  std::to_string(timeout.count()) +
                                  " ms; is the pen on, advertising and in range?");
    }

    void wait_for_services(Clock::time_point deadline, milliseconds timeout) {
        for (;;) {
            bool resolved = false;
            try {
                resolved = device_proxy->services_resolved();
            } catch (const sdbus::Error& error) {
                bluez::throw_error(error, "reading the services of " + name);
            }
            if (resolved) return;
            if (Clock::now() >= deadline) {
                throw TimeoutError(name +
                                   " connected, but BlueZ did not resolve its GATT "
                                   "services within " +
                                   std::to_string(timeout.count()) + " ms");
            }
            std::this_thread::sleep_for(std::min(kPollPeriod, remaining(deadline)));
        }
    }

    // ---- io thread ----

    void start_sending() { pump(); }

    void send(std::span<const std::uint8_t> bytes) {
        if (closed || failed || bytes.empty()) return;
        if (!queue.push(bytes)) {
            fail("the send queue of " + name + " is full (" + std::to_string(queue.capacity()) +
                 " bytes, about " + std::to_string(kQueueSpan.count()) +
                 " ms of link time): commands are sent faster than the link carries");
            return;
        }
        pump();
    }

    void send_urgent(std::span<const std::uint8_t> frame) {
        if (closed || failed || frame.empty()) return;
        queue.push_urgent(frame);
        pump();
    }

    // Paced twice: by BlueZ's replies (kWritesInFlight), and by time, one write per assumed
    // connection interval, because BlueZ answers a write without response as soon as the kernel
    // has it, and a kernel queue is one an emergency stop cannot overtake.
    void pump() {
        while (!closed && !failed && in_flight < kWritesInFlight && !queue.empty()) {
            const auto now = Clock::now();
            if (now < next_write_at) {
                if (!pacing) {
                    pacing = true;
                    pace_timer.expires_at(next_write_at);
                    pace_timer.async_wait(
                        [weak = weak_from_this()](const boost::system::error_code& ec) {
                            auto link = weak.lock();
                            if (!link || ec) return;
                            link->pacing = false;
                            link->pump();
                        });
                }
                return;
            }
            next_write_at = now + write_spacing;
            std::vector<std::uint8_t> chunk = queue.take_chunk(payload);
            try {
                write_proxy->WriteValue(chunk, {{"type", sdbus::Variant(std::string("command"))}});
            } catch (const sdbus::Error& error) {
                fail("writing to " + name + " failed: " + bluez::describe(error));
                return;
            }
            ++in_flight;
        }
    }

    void on_write_done(const std::string& failure) {
        if (in_flight > 0) --in_flight;
        if (closed || failed) return;
        if (!failure.empty()) {
            fail("writing to " + name + " failed: " + failure);
            return;
        }
        pump();
    }

    void on_notification(const std::vector<std::uint8_t>& bytes) {
        if (closed || failed || bytes.empty() || !on_receive) return;
        on_receive(std::span<const std::uint8_t>(bytes.data(), bytes.size()));
    }

    static void post_failure(const std::weak_ptr<Link>& weak, std::string reason) {
        auto self = weak.lock();
        if (!self) return;
        boost::asio::post(self->io, [weak, reason = std::move(reason)] {
            if (auto link = weak.lock())
                link->fail("the link to " + link->name + " was lost: " + reason);
        });
    }

    void fail(const std::string& reason) {
        if (closed || failed) return;
        failed = true;
        queue.clear();
        if (on_error) on_error(reason);
    }

    void close() {
        if (closed) return;
        closed = true;
        pace_timer.cancel();
        teardown();
    }

    // Stops the event loop first (joining its thread), so no callback runs while the proxies
    // go; then lets go of the pen so another host (or the next open) can connect.
    void teardown() {
        if (connection && loop_running) {
            connection->leaveEventLoop();
            loop_running = false;
        }
        write_proxy.reset();
        notify_proxy.reset();
        if (device_proxy && device_connected) {
            try {
                device_proxy->disconnect(milliseconds(1000));
            } catch (const sdbus::Error&) {
                // Already gone: nothing to release.
            }
            device_connected = false;
        }
        device_proxy.reset();
        connection.reset();
    }

    LinkExecutor io;
    std::string name;
    std::string adapter_label;
    ReceiveHandler on_receive;
    ErrorHandler on_error;
    std::unique_ptr<sdbus::IConnection> connection;
    std::unique_ptr<bluez::DeviceProxy> device_proxy;
    std::unique_ptr<bluez::CharacteristicProxy> write_proxy;
    std::unique_ptr<bluez::CharacteristicProxy> notify_proxy;
    bool loop_running = false;
    bool device_connected = false;
    std::size_t payload = gatt::kDefaultMtu - gatt::kAttHeader;
    std::size_t bytes_per_second = 0;
    BleWriteQueue queue;
    int in_flight = 0;
    boost::asio::steady_timer pace_timer;
    milliseconds write_spacing{gatt::kAssumedIntervalMs};
    Clock::time_point next_write_at{};
    bool pacing = false;
    bool failed = false;
    bool closed = false;
};

BleTransport::BleTransport(const LinkExecutor& io, const Url& url)
    : io_(io),
      address_(url.address),
      name_(url.get("name")),
      adapter_(url.get("adapter")),
      interval_ms_(gatt::kAssumedIntervalMs),
      payload_size_(gatt::kDefaultMtu - gatt::kAttHeader) {
    for (const auto& [key, value] : url.query) {
        if (key != "name" && key != "adapter" && key != "interval_ms") {
            throw InvalidArgumentError("unknown option '" + key + "' for " + description() +
                                       "; the ble transport takes name, adapter and interval_ms");
        }
    }
    if (url.query.count("adapter") && !is_adapter_name(adapter_)) {
        throw InvalidArgumentError("adapter '" + adapter_ + "' for " + description() +
                                   " is not an adapter name; expected e.g. adapter=hci1");
    }
    if (url.query.count("interval_ms")) {
        const std::string& text = url.query.at("interval_ms");
        int value = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec != std::errc{} || end != text.data() + text.size() || value < 7 || value > 4000) {
            throw InvalidArgumentError("interval_ms '" + text + "' for " + description() +
                                       " is not a connection interval of 7-4000 ms");
        }
        interval_ms_ = value;
    }
}

BleTransport::~BleTransport() { close(); }

void BleTransport::open(ReceiveHandler on_receive, ErrorHandler on_error,
                        std::chrono::milliseconds timeout) {
    close();
    auto link =
        std::make_shared<Link>(io_, description(), std::move(on_receive), std::move(on_error));
    // A failed open tears down on this thread (the event loop thread, if started, is joined).
    link->open(address_, name_, adapter_, interval_ms_, timeout);
    payload_size_ = link->payload;
    link_ = link;
    boost::asio::post(io_, [link] { link->start_sending(); });
}

void BleTransport::send(std::span<const std::uint8_t> bytes) {
    // A local reference: a failing send calls the ErrorHandler, which may close() and drop link_.
    if (auto link = link_) link->send(bytes);
}

void BleTransport::send_urgent(std::span<const std::uint8_t> frame) {
    if (auto link = link_) link->send_urgent(frame);
}

std::size_t BleTransport::link_bytes_per_second() const {
    return payload_size_ * 1000 / static_cast<std::size_t>(interval_ms_);
}

std::size_t BleTransport::link_payload_size() const { return payload_size_; }

unsigned BleTransport::status_share_percent() const { return gatt::kStatusSharePercent; }

std::chrono::milliseconds BleTransport::link_interval() const {
    return std::chrono::milliseconds(interval_ms_);
}

void BleTransport::close() {
    if (!link_) return;
    link_->close();
    link_.reset();
}

std::string BleTransport::description() const {
    if (link_) return link_->name;
    std::string text = address_.empty() ? "ble pen named '" + name_ + "'" : "ble " + address_;
    if (!adapter_.empty()) text += " on " + adapter_;
    return text;
}

}  // namespace penlink::transport
