// The `storage` error category's names and messages, and which of its errors a retry could fix.
#include "storage/storage_error.hpp"

namespace rb {
namespace {

class storage_category_impl final : public boost::system::error_category {
public:
    const char* name() const noexcept override { return "storage"; }
    std::string message(int ev) const override {
        switch (static_cast<storage_errc>(ev)) {
            case storage_errc::unavailable:
                return "redis unavailable";
            case storage_errc::timeout:
                return "redis call timed out";
            case storage_errc::connection_lost:
                return "redis connection lost before the reply";
            case storage_errc::error_reply:
                return "redis error reply";
            case storage_errc::unexpected_reply:
                return "unexpected redis reply type";
            case storage_errc::protocol:
                return "redis protocol error";
            case storage_errc::not_replicated:
                return "redis write not acknowledged by enough replicas in time";
        }
        return "unknown storage error";
    }
};

}  // namespace

const boost::system::error_category& storage_category() noexcept {
    static const storage_category_impl category;
    return category;
}

bool is_transient(const boost::system::error_code& ec) noexcept {
    if (ec.category() != storage_category()) return false;
    auto e = static_cast<storage_errc>(ec.value());
    return e == storage_errc::unavailable || e == storage_errc::timeout || e == storage_errc::connection_lost ||
           e == storage_errc::not_replicated;
}

bool is_transient_failure(const std::exception& e) noexcept {
    if (const auto* r = dynamic_cast<const redis_error*>(&e)) {
        const auto& text = r->reply();
        for (const char* word :
             {"LOADING", "READONLY", "BUSY", "MASTERDOWN", "TRYAGAIN", "CLUSTERDOWN", "OOM", "NOREPLICAS"}) {
            if (text.starts_with(word)) return true;
        }
        return false;
    }
    if (const auto* s = dynamic_cast<const boost::system::system_error*>(&e)) return is_transient(s->code());
    return false;
}

}  // namespace rb
