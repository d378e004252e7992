// The "Test vectors" section of docs/protocol.md is read here and checked byte for byte against
// the codec, so the spec and the code cannot drift apart. Run the hidden case
// `test_protocol "[.generate]"` to print the section after a deliberate protocol change.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "doc_hex.hpp"
#include "frame_test_util.hpp"
#include "sample_messages.hpp"

using namespace penlink::protocol;
using namespace penlink::protocol::test;

namespace {

struct DocVector {
    std::string name;
    Bytes decoded;
    Bytes wire;
};

std::vector<DocVector> read_doc_vectors() {
    const std::string path = std::string(PENLINK_SOURCE_DIR) + "/docs/protocol.md";
    std::ifstream file(path);
    INFO("reading " << path);
    REQUIRE(file.good());

    std::vector<DocVector> vectors;
    bool in_section = false;
    Bytes* continuing = nullptr;  // field whose hex may continue on indented lines
    std::string line;
    while (std::getline(file, line)) {
        if (line.rfind("## ", 0) == 0) {
            // "## 14. Test vectors": the number may change as the document grows
            in_section =
                line.size() >= 15 && line.compare(line.size() - 12, 12, "Test vectors") == 0;
            continuing = nullptr;
            continue;
        }
        if (!in_section) continue;
        if (line.rfind("### ", 0) == 0) {
            vectors.push_back({line.substr(4), {}, {}});
            continuing = nullptr;
        } else if (!vectors.empty() && line.rfind("decoded:", 0) == 0) {
            continuing = &vectors.back().decoded;
            *continuing = parse_hex(line.substr(8));
        } else if (!vectors.empty() && line.rfind("wire:", 0) == 0) {
            continuing = &vectors.back().wire;
            *continuing = parse_hex(line.substr(5));
        } else if (continuing != nullptr && line.rfind("  ", 0) == 0) {
            const Bytes more = parse_hex(line);
            append(*continuing, more);
        } else {
            continuing = nullptr;
        }
    }
    return vectors;
}

// The decoded frames of a wire stream, one after the other.
Bytes raw_of(const Bytes& wire) {
    Bytes all;
    std::size_t begin = 0;
    for (std::size_t i = 0; i < wire.size(); ++i) {
        if (wire[i] != 0x00) continue;
        Bytes raw(i - begin + 1);
        const auto size = cobs_decode(std::span(wire).subspan(begin, i - begin), raw);
        raw.resize(size.value());
        append(all, raw);
        begin = i + 1;
    }
    return all;
}

// The one vector that holds two frames: a reply and a status frame arriving in one read.
const char* const kTwoFrames = "Two frames in one read";
std::pair<NamedVector, NamedVector> two_frames() {
    const auto& all = doc_vectors();
    const auto status = std::find_if(
        all.begin(), all.end(), [](const NamedVector& vector) { return vector.name == "Status"; });
    return {NamedVector{"", "", 8, Ack{MessageType::SetSpeed}}, *status};
}
Bytes two_frames_wire() {
    const auto [first, second] = two_frames();
    Bytes wire = wire_of(first.seq, first.message);
    append(wire, wire_of(second.seq, second.message));
    return wire;
}

}  // namespace

TEST_CASE("docs/protocol.md test vectors match the codec byte for byte", "[doc]") {
    auto documented = read_doc_vectors();
    std::erase_if(documented, [](const DocVector& doc) { return doc.name == kTwoFrames; });
    std::map<std::string, const NamedVector*> expected;
    for (const auto& vector : doc_vectors()) expected[vector.name] = &vector;

    REQUIRE(documented.size() == doc_vectors().size());
    for (std::size_t i = 0; i < documented.size(); ++i) {
        const DocVector& doc = documented[i];
        INFO("vector \"" << doc.name << "\"");
        REQUIRE(expected.count(doc.name) == 1);
        const NamedVector& code = *expected.at(doc.name);
        CHECK(code.name == doc_vectors()[i].name);  // same order as the document

        // encode: the code produces exactly the documented bytes
        const Bytes wire = wire_of(code.seq, code.message);
        CHECK(hex_lines(wire, 0) == hex_lines(doc.wire, 0));
        REQUIRE(!doc.wire.empty());
        CHECK(doc.wire.back() == 0x00);
        CHECK(raw_of(doc.wire) == doc.decoded);

        // decode: the documented bytes give back exactly the documented message
        const Collected collected = feed_all(doc.wire);
        CHECK(collected.errors.empty());
        REQUIRE(collected.frames.size() == 1);
        CHECK(collected.frames[0].header.seq == code.seq);
        CHECK(collected.frames[0].message == code.message);
    }
}

TEST_CASE("docs/protocol.md: two frames in one read decode to both messages", "[doc]") {
    const auto documented = read_doc_vectors();
    const auto it = std::find_if(documented.begin(), documented.end(),
                                 [](const DocVector& doc) { return doc.name == kTwoFrames; });
    REQUIRE(it != documented.end());
    CHECK(hex_lines(it->wire, 0) == hex_lines(two_frames_wire(), 0));
    CHECK(raw_of(it->wire) == it->decoded);
    const Collected collected = feed_all(it->wire);
    CHECK(collected.errors.empty());
    REQUIRE(collected.frames.size() == 2);
    const auto [first, second] = two_frames();
    CHECK(collected.frames[0].header.seq == first.seq);
    CHECK(collected.frames[0].message == first.message);
    CHECK(collected.frames[1].header.seq == second.seq);
    CHECK(collected.frames[1].message == second.message);
}

TEST_CASE("print the Test vectors section", "[.generate]") {
    for (const auto& vector : doc_vectors()) {
        const Bytes wire = wire_of(vector.seq, vector.message);
        std::cout << "### " << vector.name << "\n\n"
                  << vector.description << ".\n\n"
                  << "```text\n"
                  << "decoded: " << hex_lines(raw_of(wire), 9) << "\n"
                  << "wire:    " << hex_lines(wire, 9) << "\n"
                  << "```\n\n";
    }
    const Bytes wire = two_frames_wire();
    std::cout << "### " << kTwoFrames << "\n\n"
              << "Ack{request=SetSpeed} echoing seq 8 followed at once by the Status vector above, "
                 "as one read delivers them; a receiver must decode both. `decoded` lists the "
                 "two decoded frames one after the other.\n\n"
              << "```text\n"
              << "decoded: " << hex_lines(raw_of(wire), 9) << "\n"
              << "wire:    " << hex_lines(wire, 9) << "\n"
              << "```\n";
}
