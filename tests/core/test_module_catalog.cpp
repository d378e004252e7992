// The module catalog: the pen's list, descriptors read in chunks and checked by CRC-32 (a
// corrupt one is read again, then refused with a typed error), the partner directory for pens
// that do not store descriptors, and selection by key or key@slot.
#include <unistd.h>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/module_catalog.hpp"
#include "module_test_descriptor.hpp"
#include "penlink/errors.hpp"
#include "protocol/crc.hpp"

using namespace penlink;
using Catch::Matchers::Contains;

namespace {

// A pen holding one descriptor per slot, answering GetModules and ReadDescriptor; corrupt
// flips a byte of that many chunks first.
struct DescriptorPen {
    std::string text;
    std::uint8_t slot = 2;
    std::uint32_t crc_offset = 0;  // added to the reported CRC (a new, uncached descriptor)
    bool stored = true;
    int corrupt = 0;
    int reads = 0;

    std::uint32_t crc() const {
        return protocol::crc32(
                   std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size())) +
               crc_offset;
    }

    protocol::Message operator()(const protocol::Message& request) {
        if (std::holds_alternative<protocol::GetModules>(request)) {
            protocol::Modules modules;
            modules.count = 1;
            modules.modules[0] = {
                slot, 4660, 2, 1, 2, 3, static_cast<std::uint16_t>(stored ? text.size() : 0),
                crc()};
            return modules;
        }
        const auto& read = std::get<protocol::ReadDescriptor>(request);
        ++reads;
        protocol::DescriptorChunk chunk;
        chunk.slot = read.slot;
        chunk.offset = read.offset;
        chunk.total_size = static_cast<std::uint16_t>(text.size());
        chunk.length = static_cast<std::uint8_t>(
            std::min<std::size_t>(read.length, text.size() - read.offset));
        std::copy_n(text.begin() + read.offset, chunk.length, chunk.bytes.begin());
        if (corrupt > 0) {
            --corrupt;
            chunk.bytes[0] ^= 0x20;
        }
        return chunk;
    }
};

}  // namespace

TEST_CASE("the catalog reads a descriptor in chunks and finds modules by key", "[modules]") {
    DescriptorPen pen{test::vacuum_descriptor_json()};
    pen.crc_offset = 0x100;  // names a descriptor no other test cached
    pen.text += std::string(" ");
    pen.crc_offset = 0;
    core::ModuleCatalog catalog;
    CHECK(catalog.stale());
    catalog.refresh(std::ref(pen), {});
    CHECK_FALSE(catalog.stale());
    CHECK(pen.reads == static_cast<int>((pen.text.size() + 191) / 192));
    const auto modules = catalog.list();
    REQUIRE(modules.size() == 1);
    CHECK(modules[0].slot() == 2);
    CHECK(modules[0].key() == "vacuum");
    CHECK(modules[0].firmware_version() == "1.2.3");
    CHECK(catalog.find("vacuum").slot() == 2);
    CHECK(catalog.find("vacuum@2").slot() == 2);
    CHECK_THROWS_WITH(catalog.find("vacuum@3"),
                      Contains("no module \"vacuum@3\" is fitted to the pen (fitted: vacuum@2)"));
    CHECK_THROWS_AS(catalog.find("cooling"), NotSupportedError);
    CHECK_THROWS_AS(catalog.find("vacuum@x"), InvalidArgumentError);

    // The same descriptor again (another pen): served from the cache, nothing read.
    DescriptorPen second = pen;
    second.reads = 0;
    core::ModuleCatalog other;
    other.refresh(std::ref(second), {});
    CHECK(second.reads == 0);
}

TEST_CASE("a corrupt descriptor is read again, then refused with a typed error", "[modules]") {
    DescriptorPen pen{test::vacuum_descriptor_json()};
    pen.text += "  ";  // a descriptor no other test cached
    pen.corrupt = 1;
    core::ModuleCatalog catalog;
    catalog.refresh(std::ref(pen), {});  // the second read is good
    CHECK(catalog.list().size() == 1);

    DescriptorPen broken{test::vacuum_descriptor_json()};
    broken.text += "   ";
    broken.corrupt = 1000;
    core::ModuleCatalog failing;
    try {
        failing.refresh(std::ref(broken), {});
        FAIL("a corrupt descriptor was accepted");
    } catch (const RejectedError& e) {
        CHECK(e.code() == ErrorCode::Protocol);
        CHECK_THAT(e.what(), Contains("could not read the descriptor of the module in slot 2") &&
                                 Contains("in 3 attempts: its CRC-32 was"));
    }

    DescriptorPen garbage{"{\"schema\": 1}"};
    core::ModuleCatalog refusing;
    CHECK_THROWS_WITH(
        refusing.refresh(std::ref(garbage), {}),
        Contains("has a descriptor penlink cannot use") && Contains("\"schema\" must be a string"));
}

TEST_CASE("a pen that does not store descriptors is served from the module path", "[modules]") {
    namespace fs = std::filesystem;
    const fs::path dir =
        fs::temp_directory_path() / ("penlink-modules-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    DescriptorPen pen{std::string(test::vacuum_descriptor_json()) + "    "};
    pen.stored = false;
    core::ModuleCatalog catalog;
    CHECK_THROWS_WITH(
        catalog.refresh(std::ref(pen), {dir.string()}),
        Contains("keeps its descriptor off the pen, and no *.json file with CRC-32") &&
            Contains(dir.string()));
    {
        std::ofstream(dir / "unrelated.json") << "{}";
        std::ofstream(dir / "vacuum.json") << pen.text;
    }
    catalog.refresh(std::ref(pen), {dir.string()});
    REQUIRE(catalog.list().size() == 1);
    CHECK(catalog.list()[0].key() == "vacuum");
    CHECK(pen.reads == 0);
    fs::remove_all(dir);
}
