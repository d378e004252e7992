#include "penlink/version.h"
#include "penlink/pen.hpp"

namespace penlink {

const char* version() noexcept { return PENLINK_VERSION_STRING; }

}  // namespace penlink
