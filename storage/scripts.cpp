// The Lua source of storage/'s scripts. Redis 7 replicates a script's effects, not the script, so calling TIME
// inside is safe without redis.replicate_commands(). Scripts check their input before the first write: Redis does
// not roll back a script that fails halfway, so "all or nothing" means "nothing can fail after the first write".
#include "storage/scripts.hpp"

namespace rb::scripts {
namespace {

// Shared helpers, prepended to every reminder script.
constexpr const char* prelude = R"lua(
local p = ARGV[1]
local FIELDS = {'chat', 'owner', 'kind', 'text', 'run', 'attempt', 'created', 'due'}
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function record_key(id) return p .. 'reminder:' .. id end
-- Removes a reminder everywhere: record, due entry, lease entry, owner index entry.
local function drop(id)
  redis.call('DEL', record_key(id))
  redis.call('ZREM', KEYS[1], id)
  redis.call('ZREM', KEYS[2], id)
  redis.call('SREM', KEYS[3], id)
end
-- Appends id and the record's fields to out; false when the record is gone.
local function emit(out, id)
  local f = redis.call('HMGET', record_key(id), unpack(FIELDS))
  if not f[1] then return false end
  out[#out + 1] = id
  for i = 1, #FIELDS do out[#out + 1] = f[i] end
  return true
end
local function drop_all()
  local ids = redis.call('SMEMBERS', KEYS[3])
  for _, id in ipairs(ids) do drop(id) end
  redis.call('DEL', KEYS[3])
  return #ids
end
)lua";

// Makes the owner's pending reminders exactly the plan. A reminder whose record already holds the same text is
// left alone (due time, attempt, lease), so storing one plan twice changes nothing.
constexpr const char* schedule_body = R"lua(
local owner, chat, run, channel = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local n = tonumber(ARGV[6])
if not n or #ARGV ~= 6 + 3 * n then return redis.error_reply('ERR schedule: bad argument count') end
local now = now_ms()
local keep, earliest = {}, nil
for i = 0, n - 1 do
  local kind, offset, text = ARGV[7 + 3 * i], tonumber(ARGV[8 + 3 * i]), ARGV[9 + 3 * i]
  local id = owner .. ':' .. run .. ':' .. kind
  keep[id] = true
  if redis.call('HGET', record_key(id), 'text') ~= text then
    local due = now + offset
    redis.call('HSET', record_key(id), 'chat', chat, 'owner', owner, 'kind', kind, 'text', text, 'run', run,
               'attempt', 0, 'created', now, 'due', due)
    redis.call('ZREM', KEYS[2], id)
    redis.call('ZADD', KEYS[1], due, id)
    redis.call('SADD', KEYS[3], id)
    if not earliest or due < earliest then earliest = due end
  end
end
for _, id in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  if not keep[id] then drop(id) end
end
if earliest then redis.call('PUBLISH', channel, earliest) end
return earliest or -1
)lua";

// The claim protocol (reminder_store.hpp): expired leases first, then due reminders, each onto the lease zset.
constexpr const char* claim_body = R"lua(
local limit, lease_ms = tonumber(ARGV[2]), tonumber(ARGV[3])
local now = now_ms()
local deadline = now + lease_ms
local out, taken = {}, 0
local function take(id, relapsed)
  if relapsed then redis.call('HINCRBY', record_key(id), 'attempt', 1) end
  if emit(out, id) then
    redis.call('ZREM', KEYS[1], id)
    redis.call('ZADD', KEYS[2], deadline, id)
    taken = taken + 1
  else
    redis.call('DEL', record_key(id))
    redis.call('ZREM', KEYS[1], id)
    redis.call('ZREM', KEYS[2], id)
  end
end
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, limit)) do
  if redis.call('EXISTS', record_key(id)) == 1 then take(id, true) else take(id, false) end
end
if taken < limit then
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, limit - taken)) do
    take(id, false)
  end
end
return out
)lua";

constexpr const char* ack_body = R"lua(
drop(ARGV[2])
return 1
)lua";

constexpr const char* retry_body = R"lua(
local id, delay = ARGV[2], tonumber(ARGV[3])
redis.call('ZREM', KEYS[2], id)
if redis.call('EXISTS', record_key(id)) == 0 then return 0 end
local due = now_ms() + delay
redis.call('HINCRBY', record_key(id), 'attempt', 1)
redis.call('HSET', record_key(id), 'due', due)
redis.call('ZADD', KEYS[1], due, id)
return 1
)lua";

constexpr const char* list_body = R"lua(
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[3])) do emit(out, id) end
return out
)lua";

// due = max(due, TIME) + by: a reminder already overdue is delayed from now, a future one from its due time.
constexpr const char* snooze_body = R"lua(
local id, by = ARGV[2], tonumber(ARGV[3])
if redis.call('SISMEMBER', KEYS[3], id) == 0 then return 0 end
local cur = tonumber(redis.call('HGET', record_key(id), 'due'))
if not cur then drop(id) return 0 end
local due = math.max(cur, now_ms()) + by
redis.call('HSET', record_key(id), 'due', due)
redis.call('ZREM', KEYS[2], id)
redis.call('ZADD', KEYS[1], due, id)
return 1
)lua";

constexpr const char* finish_body = R"lua(
if redis.call('SISMEMBER', KEYS[3], ARGV[2]) == 0 then return 0 end
drop(ARGV[2])
return 1
)lua";

constexpr const char* cancel_all_body = R"lua(
return drop_all()
)lua";

constexpr const char* forget_body = R"lua(
redis.call('DEL', KEYS[4])
return drop_all()
)lua";

constexpr const char* deactivate_body = R"lua(
redis.call('HSET', KEYS[4], 'active', '0')
return drop_all()
)lua";

redis_script with_prelude(const char* body) { return redis_script(std::string(prelude) + body); }

}  // namespace

// Function-local statics: each script's SHA1 is computed once, thread-safely, on first use.
const redis_script& schedule() { static const auto s = with_prelude(schedule_body); return s; }
const redis_script& claim() { static const auto s = with_prelude(claim_body); return s; }
const redis_script& ack() { static const auto s = with_prelude(ack_body); return s; }
const redis_script& retry_later() { static const auto s = with_prelude(retry_body); return s; }
const redis_script& list_owner() { static const auto s = with_prelude(list_body); return s; }
const redis_script& snooze() { static const auto s = with_prelude(snooze_body); return s; }
const redis_script& finish() { static const auto s = with_prelude(finish_body); return s; }
const redis_script& cancel_all() { static const auto s = with_prelude(cancel_all_body); return s; }
const redis_script& forget() { static const auto s = with_prelude(forget_body); return s; }
const redis_script& deactivate() { static const auto s = with_prelude(deactivate_body); return s; }

}  // namespace rb::scripts
