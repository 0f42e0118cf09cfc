// /metrics text: a histogram's buckets are cumulative (each counts the observations at or below its bound, +Inf all
// of them) however observe() stores them; series resolved through metric_slots are the registry's own.
#include "bot/process/metrics.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <string>

namespace rb {
namespace {

// The value of the line that starts with `series ` in the rendered text; -1 when absent.
double value_of(const std::string& text, const std::string& series) {
    const auto at = text.find("\n" + series + " ");
    if (at == std::string::npos) return -1;
    return std::stod(text.substr(at + series.size() + 2));
}

TEST(Metrics, HistogramBucketsAreCumulativeAndInfHoldsEverything) {
    metrics_registry registry;
    auto& h = registry.histogram_for("t_seconds", "test");
    const std::vector<double> seen{0.00005, 0.0002, 0.0002, 0.003, 0.9, 20.0};  // 20 s is above every bound
    for (double s : seen) h.observe(s);
    const std::string text = "\n" + registry.render();
    for (double bound : latency_buckets()) {
        double expected = 0;
        for (double s : seen) expected += s <= bound;
        char le[64];
        std::snprintf(le, sizeof le, "%g", bound);
        const auto line = std::string("t_seconds_bucket{le=\"") + le + "\"}";
        EXPECT_EQ(value_of(text, line), expected) << line << "\n" << text;
    }
    EXPECT_EQ(value_of(text, "t_seconds_bucket{le=\"+Inf\"}"), 6);
    EXPECT_EQ(value_of(text, "t_seconds_count"), 6);
    EXPECT_NE(text.find("\nt_seconds_sum 20.903450\n"), std::string::npos) << text;  // exact, not 6 digits
}

TEST(Metrics, SlotsResolveOnceToTheRegistrysSeries) {
    metrics_registry registry;
    metric_slots<counter, 4> slots;
    int resolved = 0;
    auto resolve = [&]() -> counter& {
        ++resolved;
        return registry.counter_for("t_total", "test", {{"route", "webhook"}});
    };
    for (int i = 0; i < 5; ++i) slots.at(2, resolve).inc();
    EXPECT_EQ(resolved, 1);
    EXPECT_EQ(registry.counter_for("t_total", "test", {{"route", "webhook"}}).value(), 5u);
    EXPECT_NE(registry.render().find("t_total{route=\"webhook\"} 5"), std::string::npos) << registry.render();
}

}  // namespace
}  // namespace rb
