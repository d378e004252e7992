#include "penlink/pen.hpp"
#include "penlink/version.h"

namespace penlink {

const char* version() noexcept { return PENLINK_VERSION_STRING; }

}  // namespace penlink
