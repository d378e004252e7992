// Built against the installed penlink only (C++17, no Boost on the include path): the public
// headers must stand alone. Given a descriptor file (the C consumer writes one at run time, a
// module no penlink source knows), it also drives that module through the installed SDK.
#include <penlink/penlink.hpp>

#include <cstdio>
#include <cstring>
#include <string>

namespace {

int drive_module(const std::string& descriptor) {
    auto pen = penlink::Pen::connect("sim://?module=" + descriptor);
    const auto modules = pen->modules();
    if (modules.size() != 1 || modules[0].key() != "vacuum") return 2;
    pen->set_params("vacuum", {{"pressure_kpa", -40.0}, {"pattern", "wave"}});
    try {
        pen->set_param("vacuum", "pressure_kpa", 30.0);
        return 3;
    } catch (const penlink::OutOfRangeError& e) {
        if (std::string(e.what()).find("vacuum.pressure_kpa") == std::string::npos ||
            e.unit() != "kPa")
            return 4;
    }
    if (pen->get_param("vacuum", "pattern").as_label() != "wave") return 5;
    if (pen->get_param("vacuum", "pressure_kpa").as_number() != -40.0) return 6;
    std::printf("C++ consumer: vacuum@%d driven from its descriptor\n",
                static_cast<int>(modules[0].slot()));
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    auto pen = penlink::Pen::connect("sim://");
    pen->set_depth(penlink::Depth::mm(0.5));
    std::printf("%s %s, penlink %s\n", pen->info().model.c_str(),
                pen->info().firmware_version.c_str(), penlink::version());
    if (std::strcmp(penlink::version(), PENLINK_VERSION_STRING) != 0) return 1;
    return argc > 1 ? drive_module(argv[1]) : 0;
}
