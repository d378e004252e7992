// BlueZ over D-Bus for the BLE transport and discovery: the bus connection, the generated
// proxies (sdbus-c++-xml2cpp, bluez/*.xml), a snapshot of BlueZ's object tree, and BlueZ errors
// turned into penlink errors that keep BlueZ's own text.
//
// Internal: sdbus-c++ types stay out of every public header. Thread rule: the proxies'
// callbacks run on their connection's event-loop thread; method calls may come from any thread
// (sdbus-c++ makes creating and sending calls thread-safe).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <sdbus-c++/sdbus-c++.h>

#include "bluez/org.bluez.Adapter1_proxy.h"
#include "bluez/org.bluez.Device1_proxy.h"
#include "bluez/org.bluez.GattCharacteristic1_proxy.h"
#include "bluez/org.freedesktop.DBus.ObjectManager_proxy.h"
#include "bluez/org.freedesktop.DBus.Properties_proxy.h"

namespace penlink::transport::bluez {

inline constexpr const char* kBusName = "org.bluez";
/// Longest any single call to BlueZ may take (D-Bus's own default is 25 s): a hung BlueZ makes
/// open() and discover() fail with a TimeoutError instead of hanging.
inline constexpr std::chrono::milliseconds kCallTimeout{2000};

using Properties = std::map<std::string, sdbus::Variant>;
using ManagedObjects = std::map<sdbus::ObjectPath, std::map<std::string, Properties>>;
using PropertiesChangedHandler =
    std::function<void(const std::string& interface, const Properties& changed)>;

class ObjectManagerProxy final
    : public sdbus::ProxyInterfaces<org::freedesktop::DBus::ObjectManager_proxy> {
public:
    explicit ObjectManagerProxy(sdbus::IConnection& connection);
    ~ObjectManagerProxy();
    /// GetManagedObjects, bounded by kCallTimeout. Throws sdbus::Error.
    ManagedObjects objects();

private:
    void onInterfacesAdded(const sdbus::ObjectPath&,
                           const std::map<std::string, Properties>&) override {}
    void onInterfacesRemoved(const sdbus::ObjectPath&, const std::vector<std::string>&) override {}
};

class AdapterProxy final : public sdbus::ProxyInterfaces<org::bluez::Adapter1_proxy> {
public:
    AdapterProxy(sdbus::IConnection& connection, const std::string& path);
    ~AdapterProxy();
    /// SetDiscoveryFilter then StartDiscovery, each bounded by kCallTimeout. Throw sdbus::Error.
    void start_discovery(const Properties& filter);
    void stop_discovery();
};

class DeviceProxy final : public sdbus::ProxyInterfaces<org::bluez::Device1_proxy,
                                                        org::freedesktop::DBus::Properties_proxy> {
public:
    DeviceProxy(sdbus::IConnection& connection, const std::string& path,
                PropertiesChangedHandler on_changed);
    ~DeviceProxy();
    /// Device1.Connect / Disconnect bounded by timeout. Throw sdbus::Error.
    void connect(std::chrono::milliseconds timeout);
    void disconnect(std::chrono::milliseconds timeout);
    /// Device1.ServicesResolved, bounded by kCallTimeout.
    bool services_resolved();

private:
    void onPropertiesChanged(const std::string& interface, const Properties& changed,
                             const std::vector<std::string>& invalidated) override;
    PropertiesChangedHandler on_changed_;
};

class CharacteristicProxy final
    : public sdbus::ProxyInterfaces<org::bluez::GattCharacteristic1_proxy,
                                    org::freedesktop::DBus::Properties_proxy> {
public:
    using WriteReplyHandler = std::function<void(const sdbus::Error* error)>;
    CharacteristicProxy(sdbus::IConnection& connection, const std::string& path,
                        PropertiesChangedHandler on_changed, WriteReplyHandler on_write_reply);
    ~CharacteristicProxy();
    /// StartNotify, bounded by kCallTimeout. Throws sdbus::Error.
    void start_notify();

private:
    void onWriteValueReply(const sdbus::Error* error) override;
    void onPropertiesChanged(const std::string& interface, const Properties& changed,
                             const std::vector<std::string>& invalidated) override;
    PropertiesChangedHandler on_changed_;
    WriteReplyHandler on_write_reply_;
};

struct Adapter {
    std::string path;  ///< "/org/bluez/hci0"
    std::string name;  ///< "hci0"
    std::string address;
    bool powered = false;
};

struct Device {
    std::string path;
    std::string adapter_path;
    std::string address;  ///< upper case
    std::string name;     ///< Name, else Alias
    std::optional<std::int16_t> rssi;
    std::vector<std::string> uuids;  ///< lower case
    bool connected = false;
};

struct Characteristic {
    std::string path;
    std::string uuid;
    std::vector<std::string> flags;
    std::optional<std::uint16_t> mtu;
};

/// The system bus (DBUS_SYSTEM_BUS_ADDRESS if set). Throws ConnectionError naming the bus.
std::unique_ptr<sdbus::IConnection> connect_system_bus();

/// BlueZ's object tree. Throws ConnectionError ("BlueZ is not running ...") on failure.
ManagedObjects managed_objects(sdbus::IConnection& connection);

std::vector<Adapter> adapters(const ManagedObjects& objects);
/// The adapter named `wanted` ("hci1"), or the first one. Throws ConnectionError when there is
/// none, when `wanted` is not among them (naming those there are) or when it is powered off.
Adapter pick_adapter(const ManagedObjects& objects, const std::string& wanted);
std::vector<Device> devices(const ManagedObjects& objects, const std::string& adapter_path);
/// The characteristics of the service with service_uuid under device_path; nullopt if the
/// device has no such service.
std::optional<std::vector<Characteristic>> service_characteristics(const ManagedObjects& objects,
                                                                   const std::string& device_path,
                                                                   const std::string& service_uuid);
/// How many GATT services BlueZ resolved under device_path.
std::size_t service_count(const ManagedObjects& objects, const std::string& device_path);

/// "org.bluez.Error.AuthenticationFailed: Authentication Failed"
std::string describe(const sdbus::Error& error);
/// Throws the penlink error for a failed BlueZ call: `what` says what was attempted.
[[noreturn]] void throw_error(const sdbus::Error& error, const std::string& what);

std::string lower(std::string text);
std::string upper(std::string text);

}  // namespace penlink::transport::bluez
