// Built against the installed penlink only (C++17, no Boost on the include path): the public
// headers must stand alone.
#include <penlink/penlink.hpp>

#include <cstdio>
#include <cstring>

int main() {
    auto pen = penlink::Pen::connect("sim://");
    pen->set_depth(penlink::Depth::mm(0.5));
    std::printf("%s %s, penlink %s\n", pen->info().model.c_str(),
                pen->info().firmware_version.c_str(), penlink::version());
    return std::strcmp(penlink::version(), PENLINK_VERSION_STRING) == 0 ? 0 : 1;
}
