// The corpora of what runners send, each line checked the way ../shared/tools/score-corpus checks the binary:
// explain() (what `recovery-bot plan --text T --json` prints) must give the line's intent, distance (within
// 1%) and unit, and pass the optional fifth column of checks (topic, kind, filter, minutes, urgent,
// noreminders; see the header of tests/fixtures/understanding/LABELS.md). Files: tests/fixtures/corpus.tsv,
// tests/fixtures/understanding/*.tsv, and ../shared/corpus/*.tsv beside the clone when present. Every line
// must pass; a failure lists the lines.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "handlers/explain.hpp"
#include "texts_fixture.hpp"

namespace {

using nlohmann::json;

struct corpus_line {
    int number = 0;
    std::string text;
    std::vector<std::string> intents;  // "question|meal_request": either is right
    std::string distance_km;           // "-" for no run
    std::string unit;                  // "mi", "km", "*" (either) or "-"
    std::vector<std::string> checks;   // "topic=a|b", "minutes=70", "urgent=1", ...
};

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::stringstream in(s);
    for (std::string part; std::getline(in, part, sep);)
        if (!part.empty() || sep == '\t') out.push_back(part);
    return out;
}

std::vector<corpus_line> read_corpus(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::vector<corpus_line> out;
    int number = 0;
    for (std::string line; std::getline(in, line);) {
        ++number;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line.front() == '#') continue;
        const auto cols = split(line, '\t');
        if (cols.size() != 4 && cols.size() != 5) {
            ADD_FAILURE() << path << ":" << number << ": expected 4 or 5 tab-separated columns: " << line;
            continue;
        }
        out.push_back({number, cols[0], split(cols[1], '|'), cols[2], cols[3],
                       cols.size() == 5 ? split(cols[4], ' ') : std::vector<std::string>{}});
    }
    return out;
}

bool one_of(const std::string& got, const std::string& alternatives) {
    const auto options = split(alternatives, '|');
    return std::find(options.begin(), options.end(), got) != options.end();
}

// Empty when the check holds; otherwise what was found.
std::string check_one(const json& e, const std::string& check) {
    const auto eq = check.find('=');
    const std::string key = check.substr(0, eq), want = eq == std::string::npos ? "" : check.substr(eq + 1);
    const json run = e.value("run", json::object());
    if (key == "topic")
        return one_of(e.value("topic", std::string()), want) ? "" : "topic " + e.value("topic", std::string("none"));
    if (key == "kind")
        return one_of(run.value("kind", std::string()), want) ? "" : "kind " + run.value("kind", std::string("none"));
    if (key == "filter")
        return e.value("filters", json::object()).value(want, false) ? "" : "filter " + want + " not set";
    if (key == "urgent") return e.value("urgent", false) == (want == "1") ? "" : "urgent " + e["urgent"].dump();
    if (key == "noreminders") return e["reminders"].empty() ? "" : std::to_string(e["reminders"].size()) + " reminders";
    if (key == "minutes") {
        const double m = run.contains("duration_min") ? run["duration_min"].get<double>() : -1;
        return std::abs(m - std::stod(want)) <= 0.02 * std::stod(want) ? "" : "minutes " + std::to_string(m);
    }
    return "unknown check " + key;
}

// Empty when the line passes; otherwise why it failed.
std::string check(const corpus_line& c) {
    rb::chat_settings settings;
    const json e =
        rb::explain(c.text, settings, rb::testing::utc_ms(2026, 6, 3, 12), rb::testing::texts(), rb::testing::zones());
    const std::string got = e.value("intent", std::string());
    if (std::find(c.intents.begin(), c.intents.end(), got) == c.intents.end()) return "intent " + got;
    if (c.distance_km != "-") {
        const json run = e.value("run", json::object());
        if (!run.contains("distance_km") || !run["distance_km"].is_number()) return "no distance";
        const double want = std::stod(c.distance_km), have = run["distance_km"].get<double>();
        if (std::abs(have - want) > want * 0.01) return "distance " + std::to_string(have) + " km";
        if (c.unit != "*" && run.value("unit", std::string()) != c.unit)
            return "unit " + run.value("unit", std::string());
    }
    for (const auto& k : c.checks)
        if (auto why = check_one(e, k); !why.empty()) return why;
    return {};
}

void expect_corpus(const std::filesystem::path& path) {
    const auto lines = read_corpus(path);
    ASSERT_FALSE(lines.empty()) << path << " has no lines";
    std::string failures;
    for (const auto& c : lines)
        if (const auto why = check(c); !why.empty())
            failures += "  line " + std::to_string(c.number) + ": \"" + c.text + "\": " + why + "\n";
    EXPECT_TRUE(failures.empty()) << path << ":\n" << failures;
}

const std::filesystem::path source = RB_SOURCE_DIR;

TEST(Corpus, ProjectFixtureIsUnderstood) { expect_corpus(source / "tests/fixtures/corpus.tsv"); }

TEST(Corpus, UnderstandingFixturesAreUnderstood) {
    int files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(source / "tests/fixtures/understanding")) {
        if (entry.path().extension() != ".tsv") continue;
        SCOPED_TRACE(entry.path().filename().string());
        expect_corpus(entry.path());
        ++files;
    }
    EXPECT_GE(files, 2);
}

TEST(Corpus, SharedSampleIsUnderstood) {
    const auto dir = source.parent_path() / "shared" / "corpus";
    if (!std::filesystem::exists(dir / "messages.tsv")) GTEST_SKIP() << "no ../shared/corpus beside the clone";
    expect_corpus(dir / "messages.tsv");
}

TEST(Corpus, SharedHarderSampleIsUnderstood) {
    const auto path = source.parent_path() / "shared" / "corpus" / "messages-v2.tsv";
    if (!std::filesystem::exists(path)) GTEST_SKIP() << "no ../shared/corpus/messages-v2.tsv beside the clone";
    expect_corpus(path);
}

}  // namespace
