// The zone chart: parsed strictly, since its caps are what keeps a recipe's depth safe.
#include <fstream>
#include <sstream>

#include "embedded_data.hpp"
#include "json_fields.hpp"
#include "penlink/errors.hpp"
#include "penlink/treatment.hpp"

namespace penlink::treatment {

namespace {

constexpr const char* kZoneSchema = "penlink.zones/1";
// Deeper than any microneedling pen reaches: a chart beyond it is a unit mistake (um for mm).
constexpr double kDeepestPlausibleMm = 5.0;

bool valid_key(const std::string& key) {
    if (key.empty() || key.size() > 32 || key[0] < 'a' || key[0] > 'z') return false;
    for (const char c : key) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
            return false;
        }
    }
    return true;
}

Zone parse_zone(const boost::json::value& value, const std::string& origin,
                const std::string& place) {
    const detail::Fields fields(value, origin, place);
    fields.allow_only({"key", "name", "depth_min_mm", "depth_max_mm", "notes"});
    Zone zone;
    zone.key = fields.string("key");
    if (!valid_key(zone.key)) {
        fields.fail_at("key", "'" + zone.key +
                                  "' is not a zone key (lower case letters, digits, '_' or '-', "
                                  "starting with a letter, at most 32)");
    }
    zone.name = fields.string("name");
    zone.depth_min_mm = fields.number("depth_min_mm");
    zone.depth_max_mm = fields.number("depth_max_mm");
    zone.notes = fields.optional_string("notes");
    if (zone.depth_min_mm < 0) {
        fields.fail_at("depth_min_mm",
                       detail::format_number(zone.depth_min_mm) + " mm must not be negative");
    }
    if (zone.depth_max_mm <= 0) {
        fields.fail_at("depth_max_mm",
                       detail::format_number(zone.depth_max_mm) + " mm must be > 0");
    }
    if (zone.depth_max_mm > kDeepestPlausibleMm) {
        fields.fail_at("depth_max_mm", detail::format_number(zone.depth_max_mm) +
                                           " mm exceeds the plausible maximum of " +
                                           detail::format_number(kDeepestPlausibleMm) + " mm");
    }
    if (zone.depth_min_mm > zone.depth_max_mm) {
        fields.fail_at("depth_min_mm", detail::format_number(zone.depth_min_mm) +
                                           " mm exceeds depth_max_mm " +
                                           detail::format_number(zone.depth_max_mm) + " mm");
    }
    return zone;
}

std::string read_file(const std::string& path, const char* what) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InvalidArgumentError(std::string("cannot read ") + what + " " + path);
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw InvalidArgumentError(std::string("cannot read ") + what + " " + path);
    return text.str();
}

}  // namespace

ZoneChart ZoneChart::standard() {
    static const ZoneChart chart = parse(detail::kStandardZonesJson, "treatment/zones.json");
    return chart;
}

ZoneChart ZoneChart::parse(const std::string& json, const std::string& origin) {
    const auto root = detail::parse_json(json, origin);
    const detail::Fields fields(root, origin, "");
    fields.allow_only({"schema", "name", "description", "zones"});
    const std::string schema = fields.string("schema");
    if (schema != kZoneSchema) {
        fields.fail_at("schema", "'" + schema + "' is not " + kZoneSchema);
    }
    ZoneChart chart;
    chart.name_ = fields.string("name");
    fields.optional_string("description");
    const auto& zones = fields.array("zones");
    if (zones.empty()) fields.fail_at("zones", "must list at least one zone");
    for (std::size_t i = 0; i < zones.size(); ++i) {
        const std::string place = "zones[" + std::to_string(i) + "]";
        Zone zone = parse_zone(zones[i], origin, place);
        if (chart.find(zone.key)) {
            detail::fail(origin, place + ".key", "'" + zone.key + "' appears twice");
        }
        chart.zones_.push_back(std::move(zone));
    }
    return chart;
}

ZoneChart ZoneChart::load_file(const std::string& path) {
    return parse(read_file(path, "zone chart"), path);
}

const Zone* ZoneChart::find(const std::string& key) const {
    for (const Zone& zone : zones_) {
        if (zone.key == key) return &zone;
    }
    return nullptr;
}

std::string ZoneChart::keys() const {
    std::string keys;
    for (const Zone& zone : zones_) keys += (keys.empty() ? "" : ", ") + zone.key;
    return keys;
}

namespace detail {
std::string read_text_file(const std::string& path, const char* what) {
    return read_file(path, what);
}
}  // namespace detail

}  // namespace penlink::treatment
