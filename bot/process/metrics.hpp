// Prometheus counters and histograms, rendered in the text exposition format for GET /metrics.
// Registration takes a mutex; the returned references stay valid for the registry's life, so hot paths
// look a series up once and then only touch atomics.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rb {

using metric_labels = std::vector<std::pair<std::string, std::string>>;

class counter {
public:
    void inc(std::uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
    std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<std::uint64_t> value_{0};
};

// Cumulative buckets in seconds; sum kept in microseconds so it can be an atomic integer.
class histogram {
public:
    explicit histogram(std::vector<double> upper_bounds);
    void observe(double seconds);
    std::uint64_t count() const { return count_.load(std::memory_order_relaxed); }
    void render(std::string& out, const std::string& name, const std::string& labels) const;

private:
    std::vector<double> bounds_;
    std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;
    std::atomic<std::uint64_t> count_{0};
    std::atomic<std::uint64_t> sum_us_{0};
};

// Series of one family looked up by a small number (a route and a status, an update kind, a method and an
// outcome). The first use of a slot registers its series (the registry's mutex, label strings); every later use is
// one atomic load, so hot paths never lock or build strings. Two threads resolving a slot at once get the same
// series from the registry, so the race is harmless.
template <typename Metric, std::size_t Slots>
class metric_slots {
public:
    template <typename Resolve>
    Metric& at(std::size_t slot, Resolve&& resolve) {
        Metric* m = slots_[slot].load(std::memory_order_acquire);
        if (m == nullptr) {
            m = &resolve();
            slots_[slot].store(m, std::memory_order_release);
        }
        return *m;
    }

private:
    std::array<std::atomic<Metric*>, Slots> slots_{};
};

// Latency buckets from 100 µs to 10 s.
std::vector<double> latency_buckets();

class metrics_registry {
public:
    counter& counter_for(std::string_view name, std::string_view help, const metric_labels& labels = {});
    histogram& histogram_for(std::string_view name, std::string_view help, const metric_labels& labels = {},
                             std::vector<double> buckets = latency_buckets());
    std::string render() const;

private:
    struct family {
        std::string help;
        std::string type;
        std::map<std::string, std::unique_ptr<counter>> counters;  // keyed by rendered labels
        std::map<std::string, std::unique_ptr<histogram>> histograms;
    };
    family& family_for(std::string_view name, std::string_view help, std::string_view type);

    mutable std::mutex mutex_;  // guards families_ (the map shape, not the values)
    std::map<std::string, family, std::less<>> families_;
};

}  // namespace rb
