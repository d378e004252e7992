#include "transport/ble/bluez_client.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <utility>

#include "penlink/errors.hpp"

namespace penlink::transport::bluez {

namespace {

template <typename T>
std::optional<T> property(const Properties& properties, const std::string& name) {
    auto it = properties.find(name);
    if (it == properties.end()) return std::nullopt;
    try {
        return it->second.get<T>();
    } catch (const sdbus::Error&) {
        return std::nullopt;  // BlueZ sent another type: treat as absent
    }
}

const Properties* interface_of(const std::map<std::string, Properties>& interfaces,
                               const std::string& name) {
    auto it = interfaces.find(name);
    return it == interfaces.end() ? nullptr : &it->second;
}

std::string bus_address() {
    const char* address = std::getenv("DBUS_SYSTEM_BUS_ADDRESS");
    return address && *address ? address : "unix:path=/run/dbus/system_bus_socket";
}

bool starts_with(const std::string& text, const std::string& prefix) {
    return text.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::string upper(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return text;
}

ObjectManagerProxy::ObjectManagerProxy(sdbus::IConnection& connection)
    : ProxyInterfaces(connection, kBusName, "/") {
    registerProxy();
}
ObjectManagerProxy::~ObjectManagerProxy() { unregisterProxy(); }

ManagedObjects ObjectManagerProxy::objects() {
    ManagedObjects result;
    getProxy()
        .callMethod("GetManagedObjects")
        .onInterface(org::freedesktop::DBus::ObjectManager_proxy::INTERFACE_NAME)
        .withTimeout(kCallTimeout)
        .storeResultsTo(result);
    return result;
}

AdapterProxy::AdapterProxy(sdbus::IConnection& connection, const std::string& path)
    : ProxyInterfaces(connection, kBusName, path) {
    registerProxy();
}
AdapterProxy::~AdapterProxy() { unregisterProxy(); }

void AdapterProxy::start_discovery(const Properties& filter) {
    getProxy()
        .callMethod("SetDiscoveryFilter")
        .onInterface(org::bluez::Adapter1_proxy::INTERFACE_NAME)
        .withArguments(filter)
        .withTimeout(kCallTimeout);
    getProxy()
        .callMethod("StartDiscovery")
        .onInterface(org::bluez::Adapter1_proxy::INTERFACE_NAME)
        .withTimeout(kCallTimeout);
}

void AdapterProxy::stop_discovery() {
    getProxy()
        .callMethod("StopDiscovery")
        .onInterface(org::bluez::Adapter1_proxy::INTERFACE_NAME)
        .withTimeout(kCallTimeout);
}

DeviceProxy::DeviceProxy(sdbus::IConnection& connection, const std::string& path,
                         PropertiesChangedHandler on_changed)
    : ProxyInterfaces(connection, kBusName, path), on_changed_(std::move(on_changed)) {
    registerProxy();
}
DeviceProxy::~DeviceProxy() { unregisterProxy(); }

// Connect and Disconnect with a deadline of our own: the generated calls wait for D-Bus's
// default of 25 s, longer than any connect_timeout.
void DeviceProxy::connect(std::chrono::milliseconds timeout) {
    getProxy()
        .callMethod("Connect")
        .onInterface(org::bluez::Device1_proxy::INTERFACE_NAME)
        .withTimeout(timeout);
}

void DeviceProxy::disconnect(std::chrono::milliseconds timeout) {
    getProxy()
        .callMethod("Disconnect")
        .onInterface(org::bluez::Device1_proxy::INTERFACE_NAME)
        .withTimeout(timeout);
}

bool DeviceProxy::services_resolved() {
    sdbus::Variant value;
    getProxy()
        .callMethod("Get")
        .onInterface(org::freedesktop::DBus::Properties_proxy::INTERFACE_NAME)
        .withArguments(std::string(org::bluez::Device1_proxy::INTERFACE_NAME),
                       std::string("ServicesResolved"))
        .withTimeout(kCallTimeout)
        .storeResultsTo(value);
    return value.get<bool>();
}

void DeviceProxy::onPropertiesChanged(const std::string& interface, const Properties& changed,
                                      const std::vector<std::string>&) {
    if (on_changed_) on_changed_(interface, changed);
}

CharacteristicProxy::CharacteristicProxy(sdbus::IConnection& connection, const std::string& path,
                                         PropertiesChangedHandler on_changed,
                                         WriteReplyHandler on_write_reply)
    : ProxyInterfaces(connection, kBusName, path),
      on_changed_(std::move(on_changed)),
      on_write_reply_(std::move(on_write_reply)) {
    registerProxy();
}
CharacteristicProxy::~CharacteristicProxy() { unregisterProxy(); }

void CharacteristicProxy::start_notify() {
    getProxy()
        .callMethod("StartNotify")
        .onInterface(org::bluez::GattCharacteristic1_proxy::INTERFACE_NAME)
        .withTimeout(kCallTimeout);
}

void CharacteristicProxy::onWriteValueReply(const sdbus::Error* error) {
    if (on_write_reply_) on_write_reply_(error);
}

void CharacteristicProxy::onPropertiesChanged(const std::string& interface,
                                              const Properties& changed,
                                              const std::vector<std::string>&) {
    if (on_changed_) on_changed_(interface, changed);
}

std::unique_ptr<sdbus::IConnection> connect_system_bus() {
    try {
        return sdbus::createSystemBusConnection();
    } catch (const sdbus::Error& error) {
        throw ConnectionError(ErrorCode::ConnectionFailed,
                              "cannot reach the system D-Bus at " + bus_address() +
                                  " (BlueZ is reached through it): " + describe(error));
    }
}

ManagedObjects managed_objects(sdbus::IConnection& connection) {
    try {
        ObjectManagerProxy manager(connection);
        return manager.objects();
    } catch (const sdbus::Error& error) {
        throw_error(error, "listing BlueZ's adapters and devices");
    }
}

std::vector<Adapter> adapters(const ManagedObjects& objects) {
    std::vector<Adapter> result;
    for (const auto& [path, interfaces] : objects) {
        const Properties* adapter = interface_of(interfaces, "org.bluez.Adapter1");
        if (!adapter) continue;
        Adapter entry;
        entry.path = path;
        entry.name = entry.path.substr(entry.path.rfind('/') + 1);
        entry.address = property<std::string>(*adapter, "Address").value_or("");
        entry.powered = property<bool>(*adapter, "Powered").value_or(false);
        result.push_back(std::move(entry));
    }
    return result;
}

Adapter pick_adapter(const ManagedObjects& objects, const std::string& wanted) {
    const auto all = adapters(objects);
    if (all.empty()) {
        throw ConnectionError(ErrorCode::ConnectionFailed,
                              "no Bluetooth adapter: BlueZ lists none on this machine");
    }
    const Adapter* chosen = &all.front();
    if (!wanted.empty()) {
        auto it = std::find_if(all.begin(), all.end(),
                               [&](const Adapter& adapter) { return adapter.name == wanted; });
        if (it == all.end()) {
            std::string names;
            for (const Adapter& adapter : all) names += (names.empty() ? "" : ", ") + adapter.name;
            throw ConnectionError(
                ErrorCode::ConnectionFailed,
                "Bluetooth adapter '" + wanted + "' not found; BlueZ has " + names);
        }
        chosen = &*it;
    }
    if (!chosen->powered) {
        throw ConnectionError(ErrorCode::ConnectionFailed,
                              "Bluetooth adapter " + chosen->name + " (" + chosen->address +
                                  ") is powered off; turn it on, e.g. bluetoothctl power on");
    }
    return *chosen;
}

std::vector<Device> devices(const ManagedObjects& objects, const std::string& adapter_path) {
    std::vector<Device> result;
    for (const auto& [path, interfaces] : objects) {
        const Properties* device = interface_of(interfaces, "org.bluez.Device1");
        if (!device) continue;
        Device entry;
        entry.path = path;
        entry.adapter_path = property<sdbus::ObjectPath>(*device, "Adapter").value_or("");
        if (!adapter_path.empty() && entry.adapter_path != adapter_path) continue;
        entry.address = upper(property<std::string>(*device, "Address").value_or(""));
        entry.name = property<std::string>(*device, "Name")
                         .value_or(property<std::string>(*device, "Alias").value_or(""));
        entry.rssi = property<std::int16_t>(*device, "RSSI");
        for (const std::string& uuid : property<std::vector<std::string>>(*device, "UUIDs")
                                           .value_or(std::vector<std::string>{})) {
            entry.uuids.push_back(lower(uuid));
        }
        entry.connected = property<bool>(*device, "Connected").value_or(false);
        result.push_back(std::move(entry));
    }
    return result;
}

std::optional<std::vector<Characteristic>> service_characteristics(
    const ManagedObjects& objects, const std::string& device_path,
    const std::string& service_uuid) {
    std::optional<std::string> service_path;
    for (const auto& [path, interfaces] : objects) {
        const Properties* service = interface_of(interfaces, "org.bluez.GattService1");
        if (!service) continue;
        if (property<sdbus::ObjectPath>(*service, "Device").value_or("") != device_path) continue;
        if (lower(property<std::string>(*service, "UUID").value_or("")) == lower(service_uuid)) {
            service_path = path;
            break;
        }
    }
    if (!service_path) return std::nullopt;
    std::vector<Characteristic> result;
    for (const auto& [path, interfaces] : objects) {
        const Properties* characteristic =
            interface_of(interfaces, "org.bluez.GattCharacteristic1");
        if (!characteristic) continue;
        if (property<sdbus::ObjectPath>(*characteristic, "Service").value_or("") != *service_path)
            continue;
        Characteristic entry;
        entry.path = path;
        entry.uuid = lower(property<std::string>(*characteristic, "UUID").value_or(""));
        entry.flags = property<std::vector<std::string>>(*characteristic, "Flags")
                          .value_or(std::vector<std::string>{});
        entry.mtu = property<std::uint16_t>(*characteristic, "MTU");
        result.push_back(std::move(entry));
    }
    return result;
}

std::size_t service_count(const ManagedObjects& objects, const std::string& device_path) {
    std::size_t count = 0;
    for (const auto& [path, interfaces] : objects) {
        const Properties* service = interface_of(interfaces, "org.bluez.GattService1");
        if (service && property<sdbus::ObjectPath>(*service, "Device").value_or("") == device_path)
            ++count;
    }
    return count;
}

std::string describe(const sdbus::Error& error) {
    if (error.getMessage().empty()) return error.getName();
    return error.getName() + ": " + error.getMessage();
}

void throw_error(const sdbus::Error& error, const std::string& what) {
    const std::string& name = error.getName();
    const std::string text = what + " failed: " + describe(error);
    if (name == "org.freedesktop.DBus.Error.ServiceUnknown" ||
        name == "org.freedesktop.DBus.Error.NameHasNoOwner") {
        throw ConnectionError(ErrorCode::ConnectionFailed,
                              "BlueZ (org.bluez) is not running on the system D-Bus; " + text);
    }
    if (name == "org.freedesktop.DBus.Error.NoReply" ||
        name == "org.freedesktop.DBus.Error.Timeout" || name == "org.bluez.Error.Timeout") {
        throw TimeoutError(text);
    }
    if (name == "org.bluez.Error.AuthenticationFailed" ||
        name == "org.bluez.Error.AuthenticationRejected" ||
        name == "org.bluez.Error.AuthenticationCanceled" ||
        name == "org.bluez.Error.AuthenticationTimeout" ||
        name == "org.bluez.Error.NotAuthorized" || name == "org.bluez.Error.NotPermitted") {
        throw ConnectionError(ErrorCode::ConnectionFailed,
                              "pairing or authorization refused: " + text);
    }
    if (name == "org.bluez.Error.NotSupported") throw NotSupportedError(text);
    if (starts_with(name, "org.bluez.Error.") || starts_with(name, "org.freedesktop.DBus.")) {
        throw ConnectionError(ErrorCode::ConnectionFailed, text);
    }
    throw ConnectionError(ErrorCode::ConnectionFailed, text);
}

}  // namespace penlink::transport::bluez
