/* Discovery (penlink/discovery.hpp), included by each language's module after penlink.i: the
 * std::chrono timeout and the std::function progress callback stay on the C++ side;
 * penlink.discover() (Python), Penlink.discover() (Java) and Sdk.Discover() (C#) give the
 * native feel. */
%{
#include "penlink/discovery.hpp"

namespace penlink::bind {
inline std::vector<penlink::DiscoveredPen> discover_pens(int timeout_ms, bool serial, bool ble,
                                                         const std::string& name_prefix,
                                                         const std::string& ble_adapter) {
    penlink::DiscoveryFilter filter;
    filter.serial = serial;
    filter.ble = ble;
    filter.name_prefix = name_prefix;
    filter.ble_adapter = ble_adapter;
    return penlink::discover(std::chrono::milliseconds(timeout_ms), filter);
}
}  // namespace penlink::bind
%}
%ignore penlink::discover;
%ignore penlink::DiscoveryFilter;
%include "penlink/discovery.hpp"
%template(DiscoveredPenVector) std::vector<penlink::DiscoveredPen>;
%template(UsbPenIdVector) std::vector<penlink::UsbPenId>;
namespace penlink::bind {
std::vector<penlink::DiscoveredPen> discover_pens(int timeout_ms, bool serial, bool ble,
                                                  const std::string& name_prefix,
                                                  const std::string& ble_adapter);
}
