// The data files built into the library (embedded_data.cpp.in).
#pragma once

namespace penlink::treatment::detail {

extern const char* const kStandardZonesJson;  ///< treatment/zones.json

}  // namespace penlink::treatment::detail
