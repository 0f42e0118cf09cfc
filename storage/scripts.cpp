// The Lua source of storage/'s scripts. Redis 7 replicates a script's effects, not the script, so calling TIME
// inside is safe without redis.replicate_commands(). Scripts check their input before the first write: Redis does
// not roll back a script that fails halfway, so "all or nothing" means "nothing can fail after the first write".
#include "storage/scripts.hpp"

namespace rb::scripts {
namespace {

// Shared helpers, prepended to every reminder script. A record is one string "due|created|attempt|chat|text" (text
// last, so it may hold '|'); owner, run and kind are parts of the id. One string per reminder lets a plan be read
// with one MGET and written with one MSET, and a claim read with one MGET.
constexpr const char* prelude = R"lua(
local p = ARGV[1]
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function record_key(id) return p .. 'reminder:' .. id end
local function parse(rec)
  local due, created, attempt, rest = string.match(rec, '^(%-?%d+)|(%-?%d+)|(%d+)|(.*)$')
  return tonumber(due), created, tonumber(attempt), rest
end
local function record(due, created, attempt, rest)
  return string.format('%d|%s|%d|%s', due, created, attempt, rest)
end
-- Removes a reminder everywhere: record, due entry, lease entry, owner index entry.
local function drop(id)
  redis.call('DEL', record_key(id))
  redis.call('ZREM', KEYS[1], id)
  redis.call('ZREM', KEYS[2], id)
  redis.call('SREM', KEYS[3], id)
end
-- For each id: the record, or false when it is gone.
local function records(ids)
  if #ids == 0 then return {} end
  local keys = {}
  for i, id in ipairs(ids) do keys[i] = record_key(id) end
  return redis.call('MGET', unpack(keys))
end
local function drop_all()
  local ids = redis.call('SMEMBERS', KEYS[3])
  for _, id in ipairs(ids) do drop(id) end
  redis.call('DEL', KEYS[3])
  return #ids
end
)lua";

// Stores a plan in one of three modes (action.hpp's plan_mode):
//   replace: the owner's pending reminders become exactly the plan; a reminder whose record already holds the
//            same chat and text is left alone (due time, attempt, lease), so storing one plan twice changes
//            nothing; the plan's basis is kept beside it (KEYS[4]) for a later re-plan.
//   edit:    only reminders still pending change their text, keeping their due times; nothing is added, so
//            nothing already delivered comes again.
//   replan:  pending reminders move to anchor + offset (never before now); pending ones the plan leaves out go;
//            a new step is added only if it was never delivered (no sent copy) and is still ahead.
// ARGV after the fixed part: per reminder its id, offset and "chat|text".
constexpr const char* schedule_body = R"lua(
local channel, n, mode, anchor, basis = ARGV[2], tonumber(ARGV[3]), ARGV[4], tonumber(ARGV[5]), ARGV[6]
if not n or #ARGV ~= 6 + 3 * n then return redis.error_reply('ERR schedule: bad argument count') end
if mode ~= 'replace' and mode ~= 'edit' and mode ~= 'replan' then return redis.error_reply('ERR schedule: mode') end
local now = now_ms()
local ids, keep = {}, {}
for i = 0, n - 1 do
  ids[i + 1] = ARGV[7 + 3 * i]
  keep[ids[i + 1]] = true
end
local old = records(ids)
local earliest, mset, zadd, sadd, moved = nil, {}, {}, {}, {}
local function put(id, due, created, attempt, rest)
  mset[#mset + 1] = record_key(id)
  mset[#mset + 1] = record(due, created, attempt, rest)
  zadd[#zadd + 1] = due
  zadd[#zadd + 1] = id
  sadd[#sadd + 1] = id
  if not earliest or due < earliest then earliest = due end
end
for i = 0, n - 1 do
  local id, offset, rest = ARGV[7 + 3 * i], tonumber(ARGV[8 + 3 * i]), ARGV[9 + 3 * i]
  local pending = old[i + 1] and redis.call('SISMEMBER', KEYS[3], id) == 1
  if mode == 'replace' then
    local same = false
    if old[i + 1] then
      local _, _, _, old_rest = parse(old[i + 1])
      same = old_rest == rest
      if not same then moved[#moved + 1] = id end
    end
    if not same then put(id, now + offset, now, 0, rest) end
  elseif mode == 'edit' then
    if pending then
      local due, created, attempt = parse(old[i + 1])
      redis.call('SET', record_key(id), record(due, created, attempt, rest))
    end
  else
    local due = math.max(anchor + offset, now)
    if pending then
      local _, created, attempt, old_rest = parse(old[i + 1])
      if redis.call('ZSCORE', KEYS[2], id) == false then put(id, due, created, attempt, old_rest) end
    elseif redis.call('EXISTS', p .. 'sent:' .. id) == 0 and anchor + offset > now then
      put(id, due, now, 0, rest)
    end
  end
end
if #moved > 0 then redis.call('ZREM', KEYS[2], unpack(moved)) end
if #mset > 0 then
  redis.call('MSET', unpack(mset))
  redis.call('ZADD', KEYS[1], unpack(zadd))
  redis.call('SADD', KEYS[3], unpack(sadd))
end
if mode ~= 'edit' then
  for _, id in ipairs(redis.call('SMEMBERS', KEYS[3])) do
    if not keep[id] then drop(id) end
  end
end
if mode == 'replace' then
  if basis ~= '' then redis.call('SET', KEYS[4], basis, 'EX', 604800) else redis.call('DEL', KEYS[4]) end
end
if earliest then redis.call('PUBLISH', channel, earliest) end
return earliest or -1
)lua";

// The claim protocol (reminder_store.hpp): expired leases first (attempt + 1: their dispatcher died), then due
// reminders, all moved onto the lease zset with one variadic ZADD. Ids whose record is gone are dropped.
// Returns pairs of id and record.
constexpr const char* claim_body = R"lua(
local limit, lease_ms = tonumber(ARGV[2]), tonumber(ARGV[3])
local now = now_ms()
local deadline = now + lease_ms
local out, leased, orphans = {}, {}, {}
local function take(ids, relapsed)
  local recs = records(ids)
  for i, id in ipairs(ids) do
    local rec = recs[i]
    if rec and relapsed then
      local due, created, attempt, rest = parse(rec)
      rec = record(due, created, attempt + 1, rest)
      redis.call('SET', record_key(id), rec)
    end
    if rec then
      out[#out + 1] = id
      out[#out + 1] = rec
      leased[#leased + 1] = deadline
      leased[#leased + 1] = id
    else
      orphans[#orphans + 1] = id
    end
  end
end
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, limit)
take(expired, true)
if #expired < limit then
  local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, limit - #expired)
  if #due > 0 then redis.call('ZREM', KEYS[1], unpack(due)) end
  take(due, false)
end
if #orphans > 0 then redis.call('ZREM', KEYS[2], unpack(orphans)) end
if #leased > 0 then redis.call('ZADD', KEYS[2], unpack(leased)) end
return out
)lua";

// Acks of many reminders at once (group commit, see ack_batcher.hpp): ARGV p, then pairs of id and owner id.
// A delivered reminder leaves a copy (<p>sent:<id>, a day) so its buttons still work: Snooze brings it back,
// Done and Skip clear it.
constexpr const char* ack_many_body = R"lua(
local ids, keys = {}, {}
for i = 2, #ARGV - 1, 2 do
  local id = ARGV[i]
  ids[#ids + 1] = id
  keys[#keys + 1] = record_key(id)
  redis.call('SREM', p .. 'owner:' .. ARGV[i + 1], id)
  local rec = redis.call('GET', record_key(id))
  if rec then redis.call('SET', p .. 'sent:' .. id, rec, 'EX', 86400) end
end
if #ids == 0 then return 0 end
redis.call('DEL', unpack(keys))
redis.call('ZREM', KEYS[1], unpack(ids))
redis.call('ZREM', KEYS[2], unpack(ids))
return #ids
)lua";

constexpr const char* retry_body = R"lua(
local id, delay = ARGV[2], tonumber(ARGV[3])
redis.call('ZREM', KEYS[2], id)
local rec = redis.call('GET', record_key(id))
if not rec then return 0 end
local _, created, attempt, rest = parse(rec)
local due = now_ms() + delay
redis.call('SET', record_key(id), record(due, created, attempt + 1, rest))
redis.call('ZADD', KEYS[1], due, id)
return 1
)lua";

constexpr const char* list_body = R"lua(
local ids = redis.call('SMEMBERS', KEYS[3])
local recs, out = records(ids), {}
for i, id in ipairs(ids) do
  if recs[i] then
    out[#out + 1] = id
    out[#out + 1] = recs[i]
  end
end
return out
)lua";

// due = max(due, TIME) + by: a reminder already overdue is delayed from now, a future one from its due time.
// A delivered one (its sent copy) comes back at TIME + by, once: the copy is gone after, and a second press
// finds it pending and moves it on instead of making two.
constexpr const char* snooze_body = R"lua(
local id, by = ARGV[2], tonumber(ARGV[3])
if redis.call('SISMEMBER', KEYS[3], id) == 0 then
  local sent = redis.call('GET', p .. 'sent:' .. id)
  if not sent then return 0 end
  local _, _, _, rest = parse(sent)
  local now = now_ms()
  redis.call('SET', record_key(id), record(now + by, now, 0, rest))
  redis.call('ZADD', KEYS[1], now + by, id)
  redis.call('SADD', KEYS[3], id)
  redis.call('DEL', p .. 'sent:' .. id)
  redis.call('PUBLISH', p .. 'wake', now + by)
  return 1
end
local rec = redis.call('GET', record_key(id))
if not rec then drop(id) return 0 end
local cur, created, attempt, rest = parse(rec)
local due = math.max(cur, now_ms()) + by
redis.call('SET', record_key(id), record(due, created, attempt, rest))
redis.call('ZREM', KEYS[2], id)
redis.call('ZADD', KEYS[1], due, id)
return 1
)lua";

constexpr const char* finish_body = R"lua(
if redis.call('SISMEMBER', KEYS[3], ARGV[2]) == 0 then
  return redis.call('DEL', p .. 'sent:' .. ARGV[2])
end
drop(ARGV[2])
return 1
)lua";

constexpr const char* cancel_all_body = R"lua(
redis.call('DEL', KEYS[4])
return drop_all()
)lua";

constexpr const char* forget_body = R"lua(
redis.call('DEL', KEYS[4], KEYS[5])
return drop_all()
)lua";

// A settings hash written only to say "inactive" expires with the runner's other state (30 days) rather
// than living for ever; writing again (the runner comes back) makes it permanent again.
constexpr const char* deactivate_body = R"lua(
local fresh = redis.call('EXISTS', KEYS[4]) == 0
redis.call('HSET', KEYS[4], 'active', '0')
if fresh then redis.call('EXPIRE', KEYS[4], 2592000) end
redis.call('DEL', KEYS[5])
return drop_all()
)lua";

redis_script with_prelude(const char* body) { return redis_script(std::string(prelude) + body); }

}  // namespace

// Function-local statics: each script's SHA1 is computed once, thread-safely, on first use.
const redis_script& schedule() { static const auto s = with_prelude(schedule_body); return s; }
const redis_script& claim() { static const auto s = with_prelude(claim_body); return s; }
const redis_script& ack_many() { static const auto s = with_prelude(ack_many_body); return s; }
const redis_script& retry_later() { static const auto s = with_prelude(retry_body); return s; }
const redis_script& list_owner() { static const auto s = with_prelude(list_body); return s; }
const redis_script& snooze() { static const auto s = with_prelude(snooze_body); return s; }
const redis_script& finish() { static const auto s = with_prelude(finish_body); return s; }
const redis_script& cancel_all() { static const auto s = with_prelude(cancel_all_body); return s; }
const redis_script& forget() { static const auto s = with_prelude(forget_body); return s; }
const redis_script& deactivate() { static const auto s = with_prelude(deactivate_body); return s; }

}  // namespace rb::scripts
