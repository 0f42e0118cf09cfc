// Settings to redis_target. With sentinels and no REDIS_URL, a stand-in URL carries no password and db 0: the host
// in it is never used, since every connect asks the sentinels.
#include "bot/process/redis_target_config.hpp"

#include "bot/process/log.hpp"
#include "storage/redis_tls.hpp"

namespace rb {

redis_target redis_target_for(const config& cfg) {
    const bool sentinels = !cfg.redis_sentinels.empty();
    redis_url url;
    try {
        url = parse_redis_url(cfg.redis_url.empty() && sentinels ? std::string("redis://sentinel-primary")
                                                                 : cfg.redis_url);
    } catch (const std::invalid_argument& e) {
        throw config_error(std::string("REDIS_URL: ") + e.what());
    }
    if (sentinels && url.kind == redis_url::transport::unix_socket)
        throw config_error("REDIS_URL: with REDIS_SENTINELS use redis:// or rediss:// (the primary is a TCP address)");
    std::shared_ptr<boost::asio::ssl::context> tls;
    if (url.tls) {
        try {
            tls = make_redis_tls_context({cfg.redis_ca_file, cfg.redis_cert_file, cfg.redis_key_file});
        } catch (const std::invalid_argument& e) {
            throw config_error(e.what());
        }
    }
    sentinel_config s;
    if (sentinels) {
        try {
            s.addresses = parse_sentinel_list(cfg.redis_sentinels);
        } catch (const std::invalid_argument& e) {
            throw config_error(std::string("REDIS_SENTINELS: ") + e.what());
        }
        s.master_name = cfg.redis_master_name;
        s.password = cfg.redis_sentinel_password;
    }
    return redis_target(std::move(url), std::move(tls), std::move(s));
}

redis_target redis_target_from(const config& cfg, std::optional<private_redis>& local) {
    if (!cfg.redis_url.empty() || !cfg.redis_sentinels.empty()) return redis_target_for(cfg);
    local.emplace(cfg.redis_server);
    log_event(log_level::info, "private_redis_started", {{"url", local->url()}});
    config with_local = cfg;
    with_local.redis_url = local->url();
    return redis_target_for(with_local);
}

}  // namespace rb
