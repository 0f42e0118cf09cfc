// plan_basis <-> JSON. Unknown or missing fields make the whole basis unreadable rather than half-read.
#include "handlers/plans/plan_basis.hpp"

#include <nlohmann/json.hpp>

namespace rb {
namespace {

using json = nlohmann::json;

std::optional<run_kind> kind_named(const std::string& name) {
    for (const run_kind k : {run_kind::easy, run_kind::long_run, run_kind::tempo, run_kind::intervals, run_kind::race})
        if (to_string(k) == name) return k;
    return std::nullopt;
}

}  // namespace

std::string write_plan_basis(const plan_basis& b) {
    const run_report& r = b.run;
    json run = {{"distance_km", r.distance_km},
                {"distance_given", r.distance_given},
                {"unit", r.unit == distance_unit::mi ? "mi" : "km"},
                {"unit_explicit", r.unit_explicit},
                {"named", r.named},
                {"kind", std::string(to_string(r.kind))},
                {"kind_stated", r.kind_stated},
                {"stopped_early", r.stopped_early},
                {"parts", r.parts}};
    if (r.duration_s) run["duration_s"] = *r.duration_s;
    if (r.ended_min_ago) run["ended_min_ago"] = *r.ended_min_ago;
    return json{{"v", 1},     {"run_id", b.run_id}, {"chat_id", b.chat_id}, {"reported_ms", b.reported_ms},
                {"run", run}, {"meal", b.meal}}
        .dump();
}

std::optional<plan_basis> read_plan_basis(const std::string& text) {
    const json j = json::parse(text, nullptr, false);
    if (!j.is_object() || j.value("v", 0) != 1) return std::nullopt;
    try {
        plan_basis b;
        b.run_id = j.at("run_id").get<std::string>();
        b.chat_id = j.at("chat_id").get<std::int64_t>();
        b.reported_ms = j.at("reported_ms").get<std::int64_t>();
        b.meal = j.value("meal", std::string());
        const json& r = j.at("run");
        b.run.distance_km = r.at("distance_km").get<double>();
        b.run.distance_given = r.at("distance_given").get<bool>();
        b.run.unit = r.at("unit").get<std::string>() == "mi" ? distance_unit::mi : distance_unit::km;
        b.run.unit_explicit = r.at("unit_explicit").get<bool>();
        b.run.named = r.at("named").get<bool>();
        const auto kind = kind_named(r.at("kind").get<std::string>());
        if (!kind) return std::nullopt;
        b.run.kind = *kind;
        b.run.kind_stated = r.at("kind_stated").get<bool>();
        b.run.stopped_early = r.at("stopped_early").get<bool>();
        b.run.parts = r.at("parts").get<int>();
        if (r.contains("duration_s")) b.run.duration_s = r["duration_s"].get<int>();
        if (r.contains("ended_min_ago")) b.run.ended_min_ago = r["ended_min_ago"].get<int>();
        if (!b.run.plausible()) return std::nullopt;
        return b;
    } catch (const json::exception&) {
        return std::nullopt;
    }
}

}  // namespace rb
