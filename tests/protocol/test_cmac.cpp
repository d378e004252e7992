// AES-128-CMAC (src/protocol/crypto.hpp) against RFC 4493 section 4's examples, plus lengths
// either side of a block boundary (values from OpenSSL's own CMAC: `openssl mac -cipher
// AES-128-CBC -macopt hexkey:KEY CMAC`), and the same tag however the message is split.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "protocol/crypto.hpp"

using namespace penlink::protocol;

namespace {

std::vector<std::uint8_t> hex(const std::string& text) {
    std::vector<std::uint8_t> bytes;
    for (std::size_t i = 0; i + 1 < text.size(); i += 2) {
        bytes.push_back(static_cast<std::uint8_t>(std::stoul(text.substr(i, 2), nullptr, 16)));
    }
    return bytes;
}

const std::vector<std::uint8_t> kMessage =
    hex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
        "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710");

std::array<std::uint8_t, crypto::kCmacKeySize> rfc_key() {
    std::array<std::uint8_t, crypto::kCmacKeySize> key{};
    const auto bytes = hex("2b7e151628aed2a6abf7158809cf4f3c");
    std::copy(bytes.begin(), bytes.end(), key.begin());
    return key;
}

std::vector<std::uint8_t> tag_of(crypto::Cmac& cmac, std::size_t length, std::size_t split) {
    const std::span<const std::uint8_t> message(kMessage.data(), length);
    const auto tag = cmac.compute(message.first(split), message.subspan(split));
    return {tag.begin(), tag.end()};
}

}  // namespace

TEST_CASE("AES-128-CMAC gives RFC 4493's tags", "[crypto][cmac]") {
    const auto key = rfc_key();
    crypto::Cmac cmac(key);
    const std::vector<std::pair<std::size_t, std::string>> examples{
        {0, "bb1d6929e95937287fa37d129b756746"},   // RFC 4493 example 1
        {16, "070a16b46b4d4144f79bdd9dd04a287c"},  // example 2
        {40, "dfa66747de9ae63030ca32611497c827"},  // example 3
        {64, "51f0bebf7e3b9d92fc49741779363cfe"},  // example 4
        {15, "f212d4c2154c8766de60c18c98fa0c93"},  // one short of a block
        {17, "bc72cc168ec5a1434dcdb20bc1a2c2a4"},  // one past a block
    };
    for (const auto& [length, tag] : examples) {
        INFO(length << " bytes");
        // The same tag wherever the message is split between the two parts, and again and
        // again from one object (compute restarts from nothing each time).
        for (std::size_t split = 0; split <= length; ++split) {
            CHECK(tag_of(cmac, length, split) == hex(tag));
        }
    }
}
