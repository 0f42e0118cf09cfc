// Rendering and registration for metrics.hpp.
#include "bot/process/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace rb {
namespace {

std::string render_labels(const metric_labels& labels) {
    if (labels.empty()) return {};
    std::string out = "{";
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (i) out += ',';
        out += labels[i].first + "=\"";
        for (char c : labels[i].second) {
            if (c == '"' || c == '\\') out += '\\';
            if (c == '\n') {
                out += "\\n";
                continue;
            }
            out += c;
        }
        out += '"';
    }
    return out + "}";
}

std::string format_double(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

// Whole microseconds as seconds, exactly ("20.903450"): a sum rendered with 6 significant digits would stop
// growing in the text once it passes 1,000 s, and rate() over it would read zero.
std::string format_micros(std::uint64_t us) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%llu.%06llu", static_cast<unsigned long long>(us / 1000000),
                  static_cast<unsigned long long>(us % 1000000));
    return buf;
}

// Adds `le` to an existing label set: {a="b"} + le -> {a="b",le="0.1"}.
std::string with_le(const std::string& labels, const std::string& le) {
    if (labels.empty()) return "{le=\"" + le + "\"}";
    return labels.substr(0, labels.size() - 1) + ",le=\"" + le + "\"}";
}

}  // namespace

std::vector<double> latency_buckets() {
    return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

histogram::histogram(std::vector<double> upper_bounds)
    : bounds_(std::move(upper_bounds)), buckets_(new std::atomic<std::uint64_t>[bounds_.size()]) {
    for (std::size_t i = 0; i < bounds_.size(); ++i) buckets_[i].store(0);
}

// One increment in the first bucket that holds the value (values above the last bound are only in count); render()
// adds the buckets up into Prometheus's cumulative ones. Incrementing every bucket at or above the value instead
// cost up to 17 contended atomics per observation (bench/metrics: 2.7x slower than prometheus-cpp's).
void histogram::observe(double seconds) {
    const auto at = std::lower_bound(bounds_.begin(), bounds_.end(), seconds);
    if (at != bounds_.end())
        buckets_[static_cast<std::size_t>(at - bounds_.begin())].fetch_add(1, std::memory_order_relaxed);
    count_.fetch_add(1, std::memory_order_relaxed);
    const double us = seconds > 0 ? seconds * 1e6 : 0;
    sum_us_.fetch_add(static_cast<std::uint64_t>(std::llround(us)),
                      std::memory_order_relaxed);  // 0.0002 s is 199.99 us
}

void histogram::render(std::string& out, const std::string& name, const std::string& labels) const {
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < bounds_.size(); ++i) {
        cumulative += buckets_[i].load(std::memory_order_relaxed);
        out += name + "_bucket" + with_le(labels, format_double(bounds_[i])) + ' ' + std::to_string(cumulative) + '\n';
    }
    out += name + "_bucket" + with_le(labels, "+Inf") + ' ' + std::to_string(count()) + '\n';
    out += name + "_sum" + labels + ' ' + format_micros(sum_us_.load(std::memory_order_relaxed)) + '\n';
    out += name + "_count" + labels + ' ' + std::to_string(count()) + '\n';
}

metrics_registry::family& metrics_registry::family_for(std::string_view name, std::string_view help,
                                                       std::string_view type) {
    auto it = families_.find(name);
    if (it == families_.end()) {
        it = families_.emplace(std::string(name), family{std::string(help), std::string(type), {}, {}}).first;
    }
    return it->second;
}

counter& metrics_registry::counter_for(std::string_view name, std::string_view help, const metric_labels& labels) {
    std::lock_guard lock(mutex_);
    auto& slot = family_for(name, help, "counter").counters[render_labels(labels)];
    if (!slot) slot = std::make_unique<counter>();
    return *slot;
}

histogram& metrics_registry::histogram_for(std::string_view name, std::string_view help, const metric_labels& labels,
                                           std::vector<double> buckets) {
    std::lock_guard lock(mutex_);
    auto& slot = family_for(name, help, "histogram").histograms[render_labels(labels)];
    if (!slot) slot = std::make_unique<histogram>(std::move(buckets));
    return *slot;
}

std::string metrics_registry::render() const {
    std::lock_guard lock(mutex_);
    std::string out;
    for (const auto& [name, fam] : families_) {
        out += "# HELP " + name + ' ' + fam.help + '\n';
        out += "# TYPE " + name + ' ' + fam.type + '\n';
        for (const auto& [labels, c] : fam.counters) out += name + labels + ' ' + std::to_string(c->value()) + '\n';
        for (const auto& [labels, h] : fam.histograms) h->render(out, name, labels);
    }
    return out;
}

}  // namespace rb
