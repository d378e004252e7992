/* Discovery (penlink/discovery.hpp), included by each language's module after penlink.i: the
 * std::chrono timeout and the std::function progress callback stay on the C++ side;
 * penlink.discover() (Python), Penlink.discover() (Java) and Sdk.Discover() (C#) give the
 * native feel. Progress reaches the host language through a DiscoveryListener director, called
 * on the thread that called discover_pens (before it returns). */
%{
#include "penlink/discovery.hpp"

namespace penlink::bind {
/// Told of each pen as discover_pens finds it, on the calling thread.
class DiscoveryListener {
public:
    virtual ~DiscoveryListener() = default;
    virtual void on_found(const penlink::DiscoveredPen& pen) = 0;
};

inline std::vector<penlink::DiscoveredPen> discover_pens(int timeout_ms, bool serial, bool ble,
                                                         const std::string& name_prefix,
                                                         const std::string& ble_adapter,
                                                         DiscoveryListener* listener = nullptr) {
    penlink::DiscoveryFilter filter;
    filter.serial = serial;
    filter.ble = ble;
    filter.name_prefix = name_prefix;
    filter.ble_adapter = ble_adapter;
    if (listener != nullptr)
        filter.on_found = [listener](const penlink::DiscoveredPen& pen) { listener->on_found(pen); };
    return penlink::discover(std::chrono::milliseconds(timeout_ms), filter);
}
}  // namespace penlink::bind
%}
%feature("director") penlink::bind::DiscoveryListener;
%ignore penlink::discover;
%ignore penlink::DiscoveryFilter;
%include "penlink/discovery.hpp"
%template(DiscoveredPenVector) std::vector<penlink::DiscoveredPen>;
%template(UsbPenIdVector) std::vector<penlink::UsbPenId>;
namespace penlink::bind {
class DiscoveryListener {
public:
    virtual ~DiscoveryListener();
    virtual void on_found(const penlink::DiscoveredPen& pen) = 0;
};
std::vector<penlink::DiscoveredPen> discover_pens(int timeout_ms, bool serial, bool ble,
                                                  const std::string& name_prefix,
                                                  const std::string& ble_adapter,
                                                  DiscoveryListener* listener = nullptr);
}
