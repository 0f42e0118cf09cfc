// Composition and lifecycle of the running bot; see app.hpp. Start-up order: resources, Redis, client,
// stores, dispatcher, pipeline, transport. Shutdown runs in reverse: stop accepting, let requests in flight
// finish (SHUTDOWN_TIMEOUT_MS at most), stop the dispatcher (it finishes its sends), close Redis, exit.
#include "bot/process/app.hpp"

#include <csignal>
#include <future>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "bot/effects/executor.hpp"
#include "bot/process/log.hpp"
#include "bot/process/private_redis.hpp"
#include "bot/process/redis_health.hpp"
#include "bot/process/redis_target_config.hpp"
#include "bot/process/template_files.hpp"
#include "bot/process/zone_loader.hpp"
#include "bot/telegram/dispatcher.hpp"
#include "bot/telegram/poller.hpp"
#include "bot/telegram/webhook_reply.hpp"
#include "bot/terminal/terminal_chat.hpp"
#include "bot/webhook/webhook_server.hpp"
#include "storage/redis_connection.hpp"
#include "storage/reminder_store.hpp"
#include "storage/update_store.hpp"
#include "storage/wake_subscription.hpp"

namespace rb {
namespace {

using namespace std::chrono_literals;

template <typename T>
T run_blocking(net::io_context& ioc, awaitable<T> task) {
    return net::co_spawn(ioc, std::move(task), net::use_future).get();
}

server_settings server_settings_from(const config& cfg) {
    server_settings s;
    s.host = cfg.listen_host;
    s.port = cfg.listen_port;
    s.tls_cert = cfg.tls_cert;
    s.tls_key = cfg.tls_key;
    s.front = front_settings{cfg.webhook_path, cfg.webhook_secret, cfg.max_body_bytes};
    s.max_connections = cfg.max_connections;
    s.header_timeout = cfg.header_timeout;
    s.body_timeout = cfg.body_timeout;
    s.idle_timeout = cfg.idle_timeout;
    return s;
}

client_options client_options_from(const config& cfg, metrics_registry& metrics) {
    client_options o;
    o.api_root = cfg.telegram_api_root;
    o.token = cfg.bot_token;
    o.limits.per_chat_per_second = cfg.rate_per_chat;
    o.limits.global_per_second = cfg.rate_global;
    o.limits.enabled = cfg.rate_limit;
    o.metrics = &metrics;
    return o;
}

// Learns the bot's @username (needed to notice mentions in groups). A failure is logged, not fatal:
// the bot still answers commands and private chats, and Telegram may be briefly unreachable at start.
std::string fetch_username(net::io_context& ioc, telegram_client& client) {
    const api_result me = run_blocking(ioc, client.get_me());
    if (!me.ok()) {
        log_event(log_level::warn, "get_me_failed",
                  {{"outcome", to_string(me.status)}, {"description", me.description}});
        return {};
    }
    return me.result.value("username", "");
}

// The running parts; members are declared in start-up order so they are destroyed in reverse.
struct service {
    const config& cfg;
    resources res;
    metrics_registry metrics;
    std::optional<private_redis> local_redis;
    net::io_context ioc;
    std::optional<net::executor_work_guard<net::io_context::executor_type>> work{ioc.get_executor()};
    std::vector<std::thread> threads;
    std::unique_ptr<redis_connection> redis;
    std::unique_ptr<wake_subscription> wake;
    std::unique_ptr<redis_health> health;
    std::unique_ptr<reminder_store> reminders;
    std::unique_ptr<update_store> updates;
    std::unique_ptr<executor> effects;
    std::unique_ptr<telegram_client> client;
    std::unique_ptr<dispatcher> dispatch;
    std::unique_ptr<update_pipeline> pipeline;
    std::unique_ptr<webhook_server> server;
    std::unique_ptr<poller> poll;
    std::unique_ptr<terminal_chat> terminal;
    std::future<void> dispatcher_done;
    std::future<void> poller_done;

    service(const config& c, resources r) : cfg(c), res(std::move(r)), ioc(static_cast<int>(c.threads)) {}
    ~service() {
        work.reset();
        ioc.stop();
        for (auto& t : threads) t.join();
    }
};

// /healthz: 200 while Redis answers and sending is not paused; 503 "degraded" with the reason otherwise.
health_report health_of(const service& s) {
    const auto redis = s.health->current();
    const bool up = redis.up && s.redis->connected();
    const std::string paused = s.dispatch ? s.dispatch->paused_reason() : std::string();
    nlohmann::json j{
        {"status", up && paused.empty() ? "ok" : "degraded"}, {"redis", up ? "up" : "down"},
        {"redis_state", to_string(s.redis->state())},         {"redis_primary", s.redis->primary()},
        {"sending", paused.empty() ? "ok" : "paused"},        {"mode", std::string(to_string(s.cfg.effective_mode()))}};
    if (!up)
        j["redis_cause"] = redis.cause.empty() ? std::string("not connected: ") + s.redis->last_error() : redis.cause;
    if (!paused.empty()) j["sending_reason"] = paused;
    return {up && paused.empty(), j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
}

void connect_storage(service& s) {
    const redis_target target = redis_target_from(s.cfg, s.local_redis);
    if (!target.url.password.empty()) log_add_secret(target.url.password);
    if (!target.sentinels.password.empty()) log_add_secret(target.sentinels.password);
    if (!s.cfg.redis_url.empty() || target.sentinels.enabled())
        log_event(log_level::info, "redis_target", {{"where", target.describe()}});
    redis_options ro;
    ro.call_timeout = s.cfg.redis_timeout;
    ro.replica_acks = s.cfg.redis_replica_acks;
    ro.replica_ack_timeout = s.cfg.redis_replica_ack_timeout;
    s.redis = std::make_unique<redis_connection>(net::make_strand(s.ioc), target, ro);
    if (!run_blocking(s.ioc, s.redis->wait_connected(5s))) {
        log_event(log_level::warn, "redis_not_reachable_yet",
                  {{"state", to_string(s.redis->state())}, {"cause", s.redis->last_error()}});
    }
    s.health = std::make_unique<redis_health>(s.ioc.get_executor(), *s.redis);
    s.health->start();
    const redis_keys keys(s.cfg.redis_prefix);
    s.reminders = std::make_unique<reminder_store>(*s.redis, keys);
    s.updates = std::make_unique<update_store>(*s.redis, keys);
    s.wake = std::make_unique<wake_subscription>(net::make_strand(s.ioc), target, keys.wake(), ro);
}

// The executor wakes this instance's dispatcher for what a commit added; other instances hear the wake channel.
void make_executor(service& s) {
    executor_options o;
    o.time_scale = s.cfg.time_scale;
    o.metrics = &s.metrics;
    o.on_due = [&s](std::int64_t due_ms) {
        if (s.dispatch) s.dispatch->notify(due_ms);
    };
    s.effects = std::make_unique<executor>(*s.updates, *s.reminders, o);
}

void start_dispatcher(service& s) {
    dispatcher_options o;
    o.metrics = &s.metrics;
    o.lease = s.cfg.lease;
    s.dispatch =
        std::make_unique<dispatcher>(net::make_strand(s.ioc), *s.reminders, *s.effects, *s.client, s.wake.get(), o);
    s.dispatcher_done = net::co_spawn(s.ioc, s.dispatch->run(), net::use_future);
}

void make_pipeline(service& s, std::string bot_username, run_mode mode) {
    pipeline_deps deps;
    deps.updates = s.updates.get();
    deps.effects = s.effects.get();
    deps.templates = &s.res.templates;
    deps.zones = &s.res.zones;
    deps.metrics = &s.metrics;
    deps.bot_username = std::move(bot_username);
    // Only the webhook has an answer to carry a reply: long polling and the terminal chat send from the outbox.
    if (s.cfg.reply_in_response && mode == run_mode::webhook) deps.reply_in_response = webhook_reply_body;
    if (s.cfg.callback_answer_in_response && mode == run_mode::webhook) deps.answer_in_response = webhook_answer_body;
    s.pipeline = std::make_unique<update_pipeline>(std::move(deps));
}

void start_transport(service& s, run_mode mode) {
    if (mode == run_mode::webhook) {
        s.server = std::make_unique<webhook_server>(
            s.ioc, server_settings_from(s.cfg), [&s](std::string body) { return s.pipeline->handle(std::move(body)); },
            [&s] { return health_of(s); }, s.metrics);
        s.server->start();
    } else if (mode == run_mode::polling) {
        s.poll = std::make_unique<poller>(net::make_strand(s.ioc), *s.client,
                                          [&s](std::string body) { return s.pipeline->handle(std::move(body)); });
        s.poller_done = net::co_spawn(s.ioc, s.poll->run(), net::use_future);
    }
}

// Waits for SIGINT/SIGTERM (or, in the terminal chat, for the runner to leave).
void wait_for_stop(service& s) {
    net::signal_set signals(s.ioc, SIGINT, SIGTERM);
    std::promise<int> stop;
    signals.async_wait([&stop](const error_code& ec, int sig) { stop.set_value(ec ? 0 : sig); });
    if (s.terminal) {
        s.terminal->run_until_quit();
        signals.cancel();
    }
    const int sig = stop.get_future().get();
    log_event(log_level::info, "stopping", {{"signal", sig}});
}

void shut_down(service& s) {
    if (s.server) s.server->stop_accepting();
    if (s.poll) s.poll->stop();
    const auto deadline = std::chrono::steady_clock::now() + s.cfg.shutdown_timeout;
    while (s.server && s.server->requests_in_flight() > 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(10ms);
    }
    if (s.dispatch) s.dispatch->stop();
    if (s.dispatcher_done.valid()) s.dispatcher_done.wait_until(deadline + 1s);
    if (s.poller_done.valid()) s.poller_done.wait_until(deadline + 1s);
    if (s.wake) s.wake->stop();
    if (s.health) s.health->stop();
    if (s.redis) s.redis->stop();
}

}  // namespace

resources load_resources(const config& cfg) {
    auto loaded = template_set::load(read_template_files(cfg.templates_dir));
    if (auto* error = std::get_if<template_error>(&loaded)) {
        throw config_error("TEMPLATES_DIR " + cfg.templates_dir + ": " + error->file + ":" +
                           std::to_string(error->line) + ": " + error->message);
    }
    zone_catalog zones = load_zone_catalog(cfg.zoneinfo_dir);
    if (zones.size() <= 1) {
        log_event(log_level::warn, "zoneinfo_missing", {{"dir", cfg.zoneinfo_dir}, {"hint", "install tzdata"}});
    }
    return resources{std::move(std::get<template_set>(loaded)), std::move(zones)};
}

int run_service(const config& cfg) {
    const run_mode mode = cfg.effective_mode();
    service s(cfg, load_resources(cfg));
    for (unsigned i = 0; i < cfg.threads; ++i) s.threads.emplace_back([&s] { s.ioc.run(); });
    connect_storage(s);
    config effective = cfg;
    if (mode == run_mode::terminal) {
        // The terminal chat is a local Bot API on loopback: the bot long-polls it exactly as it polls
        // Telegram, so the chat runs through the same client, dispatcher, pipeline and handlers.
        s.terminal = std::make_unique<terminal_chat>(s.ioc, std::cin, std::cout);
        s.terminal->set_time_scale(cfg.time_scale);
        effective.telegram_api_root = s.terminal->api_root();
        effective.bot_token = "terminal";
        effective.rate_limit = false;
    }
    s.client = std::make_unique<telegram_client>(s.ioc.get_executor(), client_options_from(effective, s.metrics));
    make_executor(s);
    const std::string username = fetch_username(s.ioc, *s.client);
    start_dispatcher(s);
    make_pipeline(s, username, mode);
    start_transport(s, mode == run_mode::terminal ? run_mode::polling : mode);
    log_event(log_level::info, "started", {{"mode", to_string(mode)}, {"threads", cfg.threads}});
    wait_for_stop(s);
    shut_down(s);
    log_event(log_level::info, "stopped");
    return 0;
}

}  // namespace rb
