// The corpus of what runners send (../shared/corpus/messages.tsv beside the clone, when present, and always
// tests/fixtures/corpus.tsv): every line must parse to its intent, and run reports to their distance
// (within 1%) and unit. Failures list the offending lines.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "handlers/message_parser.hpp"

namespace {

struct corpus_line {
    int number = 0;
    std::string text;
    std::vector<std::string> intents;  // "question|meal_request": either is right
    std::string distance_km;           // "-" for no run
    std::string unit;
};

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::stringstream in(s);
    for (std::string part; std::getline(in, part, sep);) out.push_back(part);
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
        if (cols.size() != 4) {
            ADD_FAILURE() << path << ":" << number << ": expected 4 tab-separated columns: " << line;
            continue;
        }
        out.push_back({number, cols[0], split(cols[1], '|'), cols[2], cols[3]});
    }
    return out;
}

// Empty when the line passes; otherwise why it failed.
std::string check(const corpus_line& c) {
    const auto m = rb::parse_message(c.text, rb::distance_unit::km);
    const std::string got(rb::to_string(m.what));
    if (std::find(c.intents.begin(), c.intents.end(), got) == c.intents.end()) return "intent " + got;
    if (m.what != rb::intent::run_report || c.distance_km == "-") return {};
    const double want = std::stod(c.distance_km);
    if (std::abs(m.run->distance_km - want) > want * 0.01)
        return "distance " + std::to_string(m.run->distance_km) + " km, want " + c.distance_km;
    const std::string unit = m.run->unit == rb::distance_unit::mi ? "mi" : "km";
    if (unit != c.unit) return "unit " + unit + ", want " + c.unit;
    return {};
}

void run_corpus(const std::filesystem::path& path, std::size_t at_least) {
    const auto lines = read_corpus(path);
    EXPECT_GE(lines.size(), at_least) << path;
    std::string failures;
    int failed = 0;
    for (const auto& c : lines) {
        if (const std::string why = check(c); !why.empty()) {
            failures += "  line " + std::to_string(c.number) + ": \"" + c.text + "\" -> " + why + "\n";
            ++failed;
        }
    }
    EXPECT_EQ(failed, 0) << failed << " of " << lines.size() << " lines of " << path << " fail:\n" << failures;
}

const std::filesystem::path source_dir{RB_SOURCE_DIR};

TEST(Corpus, EveryLineOfTheProjectCorpusPasses) {
    const auto path = source_dir / "tests/fixtures/corpus.tsv";
    ASSERT_TRUE(std::filesystem::exists(path)) << path;
    run_corpus(path, 90);
}

TEST(Corpus, EveryLineOfTheSharedCorpusPasses) {
    const auto path = source_dir / "../shared/corpus/messages.tsv";
    if (!std::filesystem::exists(path)) GTEST_SKIP() << "no shared corpus beside the clone: " << path;
    run_corpus(path, 1);
}

TEST(Corpus, CheckerNoticesAWrongAnswer) {
    EXPECT_EQ(check({1, "finished 15 miles", {"run_report"}, "24.140", "mi"}), "");
    EXPECT_NE(check({1, "finished 15 miles", {"run_report"}, "30.0", "mi"}), "");
    EXPECT_NE(check({1, "finished 15 miles", {"run_report"}, "24.140", "km"}), "");
    EXPECT_NE(check({1, "finished 15 miles", {"question", "unknown"}, "-", "-"}), "");
}

}  // namespace
