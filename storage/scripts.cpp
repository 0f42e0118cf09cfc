// The Lua source of storage/'s scripts (see scripts.hpp for each one's KEYS and ARGV). Redis 7 replicates a
// script's effects, not the script, so calling TIME inside is safe. Redis does not roll back a script that fails
// halfway, so every script checks all of its input before its first write: "all or nothing" means "nothing can
// fail after the first write".
#include "storage/scripts.hpp"

namespace rb::scripts {
namespace {

// Shared helpers. A record is "due|created|attempt|chat|lane|text" (keys.hpp); chat stays a string so ids
// beyond 2^53 survive.
constexpr const char* prelude = R"lua(
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function parse(rec)
  if type(rec) ~= 'string' then return nil end
  local due, created, attempt, chat, lane, text =
    string.match(rec, '^(%-?%d+)|(%-?%d+)|(%d+)|(%-?%d+)|([012])|(.*)$')
  -- The same bounds as C++ (reminder_record.cpp), so a record one side reads the other reads too.
  if not due or #due > 16 or #created > 16 or #attempt > 6 or #chat > 17 then return nil end
  return {due = tonumber(due), created = tonumber(created), attempt = tonumber(attempt), chat = chat,
          lane = tonumber(lane), text = text}
end
local function fmt(r)
  return string.format('%d|%d|%d|', r.due, r.created, r.attempt) .. r.chat .. '|' .. r.lane .. '|' .. r.text
end
local day_ms = 86400000
-- HGET that survives a key of another type (an older version's layout, a hand edit): returns nil, true then.
local function hget(key, field)
  local v = redis.pcall('HGET', key, field)
  if type(v) == 'table' and v.err then return nil, true end
  return v
end
local function set_aside(qkey, key, id, why)
  redis.call('LPUSH', qkey, cjson.encode({key = key, id = id, reason = why}))
  redis.call('LTRIM', qkey, 0, 999)
end
-- Sets a record that cannot be read aside (capped), so it never stalls a claim or a chat.
local function quarantine(qkey, owner_key, id, raw)
  redis.call('LPUSH', qkey, cjson.encode({key = owner_key, id = id, record = string.sub(raw, 1, 4096)}))
  redis.call('LTRIM', qkey, 0, 999)
  redis.call('HDEL', owner_key, id)
end
-- Delivered copies live a day. An owner hash holding nothing pending expires with its last copy.
local function tidy(owner_key, now)
  local flat = redis.call('HGETALL', owner_key)
  local pending, old = 0, {}
  for i = 1, #flat, 2 do
    if string.sub(flat[i], 1, 5) == 'sent:' then
      local sent = tonumber(string.match(flat[i + 1], '^(%d+)|'))
      if not sent or sent + day_ms < now then old[#old + 1] = flat[i] end
    else
      pending = pending + 1
    end
  end
  if #old > 0 then redis.call('HDEL', owner_key, unpack(old)) end
  if pending > 0 then
    redis.call('PERSIST', owner_key)
  elseif #flat > 2 * #old then
    redis.call('PEXPIRE', owner_key, day_ms)
  end
end
)lua";

// The commit reads the owner's hash once into a Lua table and keeps that table in step with every write, so each op
// sees the effects of the ops before it, and the end-of-commit tidy needs no second read. Writes to the hash go out
// as one HSET and one HDEL at the end.
constexpr const char* commit_body = R"lua(
local check_seen, channel, owner_id, seen_ttl = ARGV[1] == '1', ARGV[2], ARGV[3], ARGV[4]
local owner, lease = KEYS[3], KEYS[8]
if check_seen and redis.call('EXISTS', KEYS[1]) == 1 then return {0, -1} end

-- Read and check every op before the first write.
local mine = owner_id .. ':'
local function num(v) v = tonumber(v) return v and v == v and v > -1e15 and v < 1e15 and v or nil end
local function id_ok(v) return v and string.sub(v, 1, #mine) == mine and not string.find(v, '|', 1, true) end
local function chat_ok(v) return v and string.match(v, '^%-?%d+$') ~= nil end
local ops, at = {}, 5
local function take() at = at + 1 return ARGV[at - 1] end
while at <= #ARGV do
  local op, bad = {op = take()}, nil
  local t = op.op
  if t == 'plan' then
    op.mode, op.run, op.chat, op.anchor, op.basis = take(), take(), take(), num(take()), take()
    local n = num(take())
    if op.mode ~= 'replace' and op.mode ~= 'edit' and op.mode ~= 'replan' then bad = 'mode' end
    if not (op.run and not string.find(op.run, '[:|]') and chat_ok(op.chat) and op.anchor and op.basis and n
            and n >= 0 and at + 4 * n - 1 <= #ARGV) then
      bad = bad or 'plan fields'
      n = 0
    end
    op.items = {}
    for i = 1, n do
      local it = {kind = take(), offset = num(take()), lane = tonumber(take()), text = take()}
      if not (it.kind ~= '' and not string.find(it.kind, '[:|]') and it.offset and (it.lane == 1 or it.lane == 2))
        then bad = 'plan item' end
      op.items[i] = it
    end
  elseif t == 'snooze' then
    op.id, op.by = take(), num(take())
    if not (id_ok(op.id) and op.by and op.by >= 0) then bad = 'snooze fields' end
  elseif t == 'finish' then
    op.id = take()
    if not id_ok(op.id) then bad = 'finish fields' end
  elseif t == 'settings' then
    local n = num(take())
    if not n or n < 0 or at + 2 * n - 1 > #ARGV then bad, n = 'settings fields', 0 end
    op.fields = {}
    for i = 1, 2 * n do op.fields[i] = take() end
  elseif t == 'send' then
    op.id, op.chat, op.call = take(), take(), take()
    if not (id_ok(op.id) and chat_ok(op.chat) and op.call) then bad = 'send fields' end
  elseif t == 'quarantine' then
    local n = num(take())
    if not n or n < 0 or at + n - 1 > #ARGV then bad, n = 'quarantine ids', 0 end
    op.ids = {}
    for i = 1, n do
      op.ids[i] = take()
      if not id_ok(op.ids[i]) then bad = 'quarantine id' end
    end
  elseif t ~= 'cancel' and t ~= 'forget' and t ~= 'deactivate' then
    bad = 'unknown op'
  end
  if bad then return redis.error_reply('ERR commit: op ' .. (#ops + 1) .. ': ' .. bad) end
  ops[#ops + 1] = op
end

local now = now_ms()
local earliest = nil
-- The owner's hash as it will be: field -> value, or false once deleted.
local fields, touched = {}, {}
-- A set here is the pending index of the layout before 2.0 (docs/operations.md, Upgrades): it means nothing now.
if redis.call('TYPE', owner).ok == 'set' then redis.call('DEL', owner) end
do
  local flat = redis.call('HGETALL', owner)
  for i = 1, #flat, 2 do fields[flat[i]] = flat[i + 1] end
end
local function set_field(f, v) fields[f] = v touched[f] = true end
-- Off whichever zset holds it now: its lane (known from its record) and the lease.
local function unlist(id)
  local old = parse(fields[id])
  if old then
    redis.call('ZREM', KEYS[5 + old.lane], id)
  else
    redis.call('ZREM', KEYS[5], id)
    redis.call('ZREM', KEYS[6], id)
    redis.call('ZREM', KEYS[7], id)
  end
  redis.call('ZREM', lease, id)
end
local function put(id, r)
  if fields[id] then unlist(id) end
  set_field(id, fmt(r))
  redis.call('ZADD', KEYS[5 + r.lane], r.due, id)
  if not earliest or r.due < earliest then earliest = r.due end
end
local function drop(id)
  unlist(id)
  set_field(id, false)
end
local function is_copy(f) return string.sub(f, 1, 5) == 'sent:' end
local function pending()
  local out = {}
  for f, v in pairs(fields) do
    if v and not is_copy(f) then out[f] = v end
  end
  return out
end
-- Reminders go; replies still waiting in the outbox are kept: they answer what the runner already sent.
local function drop_reminders()
  for id, rec in pairs(pending()) do
    local r = parse(rec)
    if not r or r.lane ~= 0 then drop(id) end
  end
end
local function drop_copies()
  for f, v in pairs(fields) do
    if v and is_copy(f) then set_field(f, false) end
  end
end

-- replace: the owner's pending reminders become exactly this plan; one with the same chat and text keeps its due
--          time, attempt and lease, so the same plan twice changes nothing; the basis is kept for a re-plan.
-- edit:    only pending reminders change their text and keep their due times; nothing delivered comes again.
-- replan:  pending reminders move to anchor + offset (never before now), except one being sent; pending ones
--          the plan leaves out go; a new step is added only if never delivered and still ahead.
local function apply_plan(op)
  local prefix = mine .. op.run .. ':'
  local cur, keep = pending(), {}
  for _, it in ipairs(op.items) do
    local id = prefix .. it.kind
    keep[id] = true
    local old = parse(cur[id])
    if op.mode == 'replace' then
      if not (old and old.chat == op.chat and old.text == it.text) then
        put(id, {due = now + it.offset, created = now, attempt = 0, chat = op.chat, lane = it.lane, text = it.text})
      end
    elseif op.mode == 'edit' then
      if old then
        old.text = it.text
        set_field(id, fmt(old))
      end
    else
      local due = math.max(op.anchor + it.offset, now)
      if old then
        if not redis.call('ZSCORE', lease, id) then
          old.due = due
          put(id, old)
        end
      elseif not fields['sent:' .. id] and op.anchor + it.offset > now then
        put(id, {due = due, created = now, attempt = 0, chat = op.chat, lane = it.lane, text = it.text})
      end
    end
  end
  if op.mode ~= 'edit' then
    for id, rec in pairs(cur) do
      local r = parse(rec)
      if not keep[id] and (not r or r.lane ~= 0) then drop(id) end
    end
  end
  if op.mode == 'replace' then
    if op.basis ~= '' then redis.call('SET', KEYS[4], op.basis, 'EX', 604800) else redis.call('DEL', KEYS[4]) end
  end
end

-- due = max(due, now) + by: an overdue reminder is delayed from now, a future one from its due time; a leased one
-- goes back to waiting (its claim's token no longer holds). A delivered one (its copy) comes back at now + by,
-- once: the copy goes, and a second press finds it pending and moves it on instead of making two.
local function apply_snooze(op)
  local rec = fields[op.id]
  if rec then
    local r = parse(rec)
    if not r then return drop(op.id) end
    r.due = math.max(r.due, now) + op.by
    return put(op.id, r)
  end
  local copy = fields['sent:' .. op.id]
  if not copy then return end
  set_field('sent:' .. op.id, false)
  local r = parse(string.match(copy, '^%d+|(.*)$'))
  if not r then return end
  r.due, r.created, r.attempt = now + op.by, now, 0
  put(op.id, r)
end

for _, op in ipairs(ops) do
  local t = op.op
  if t == 'plan' then
    apply_plan(op)
  elseif t == 'snooze' then
    apply_snooze(op)
  elseif t == 'finish' then
    if fields[op.id] then drop(op.id) elseif fields['sent:' .. op.id] then set_field('sent:' .. op.id, false) end
  elseif t == 'cancel' then
    redis.call('DEL', KEYS[4])
    drop_reminders()
  elseif t == 'settings' then
    redis.call('DEL', KEYS[2])
    if #op.fields > 0 then redis.call('HSET', KEYS[2], unpack(op.fields)) end
  elseif t == 'forget' then
    redis.call('DEL', KEYS[2], KEYS[4])
    drop_reminders()
    drop_copies()
  elseif t == 'deactivate' then
    -- A settings hash written only to say "inactive" expires (30 days) rather than living for ever; a runner who
    -- comes back writes it again, which makes it permanent.
    local fresh = redis.call('EXISTS', KEYS[2]) == 0
    redis.call('HSET', KEYS[2], 'active', '0')
    if fresh then redis.call('EXPIRE', KEYS[2], 2592000) end
    redis.call('DEL', KEYS[4])
    drop_reminders()
  elseif t == 'send' then
    put(op.id, {due = now, created = now, attempt = 0, chat = op.chat, lane = 0, text = op.call})
  elseif t == 'quarantine' then
    for _, id in ipairs(op.ids) do
      if fields[id] then
        redis.call('LPUSH', KEYS[9], cjson.encode({key = owner, id = id, record = string.sub(fields[id], 1, 4096)}))
        redis.call('LTRIM', KEYS[9], 0, 999)
      end
      drop(id)
    end
  end
end

-- Write the hash once, and tidy it: copies older than a day go; a hash with nothing pending expires with its
-- last copy.
local sets, dels, pending_count, live = {}, {}, 0, 0
for f, v in pairs(fields) do
  if v and is_copy(f) then
    local sent = tonumber(string.match(v, '^(%d+)|'))
    if not sent or sent + day_ms < now then v = false set_field(f, false) end
  end
  if v then
    live = live + 1
    if not is_copy(f) then pending_count = pending_count + 1 end
  end
end
for f in pairs(touched) do
  if fields[f] then
    sets[#sets + 1] = f
    sets[#sets + 1] = fields[f]
  else
    dels[#dels + 1] = f
  end
end
if #dels > 0 then redis.call('HDEL', owner, unpack(dels)) end
if #sets > 0 then redis.call('HSET', owner, unpack(sets)) end
if pending_count > 0 then
  redis.call('PERSIST', owner)
elseif live > 0 then
  redis.call('PEXPIRE', owner, day_ms)
end
if check_seen then redis.call('SET', KEYS[1], '1', 'EX', seen_ttl) end
if earliest then redis.call('PUBLISH', channel, earliest) end
return {1, earliest or -1}
)lua";

constexpr const char* candidates_body = R"lua(
local limit, now = tonumber(ARGV[1]), now_ms()
local out = {now}
local later_limit = tonumber(ARGV[2]) or limit
local function add(key, source, cap)
  local room = math.min(limit - (#out - 1) / 2, cap or limit)
  if room <= 0 then return end
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', key, '-inf', now, 'LIMIT', 0, room)) do
    out[#out + 1] = id
    out[#out + 1] = source
  end
end
add(KEYS[4], 'l')
add(KEYS[1], '0')
add(KEYS[2], '1')
add(KEYS[3], '2', later_limit)
return out
)lua";

// A re-claim of an expired lease does not count an attempt: the send may never have started (the instance died
// or handed it back late). Only a failed send counts (hand_back with count).
constexpr const char* claim_body = R"lua(
local lease_ms = tonumber(ARGV[1])
if not lease_ms or (#ARGV - 1) % 3 ~= 0 then return redis.error_reply('ERR claim: arguments') end
local now = now_ms()
local token = now + lease_ms
local out = {token}
for i = 2, #ARGV, 3 do
  local id, source, owner = ARGV[i], ARGV[i + 1], KEYS[5 + tonumber(ARGV[i + 2])]
  local from = source == 'l' and KEYS[4] or KEYS[tonumber(source) + 1]
  local score = redis.call('ZSCORE', from, id)
  if score and tonumber(score) <= now then
    local raw, wrong = hget(owner, id)
    local r = parse(raw)
    if wrong then
      set_aside(KEYS[5], owner, id, 'the owner key is not a hash')
      redis.call('ZREM', from, id)
    elseif not raw then
      redis.call('ZREM', from, id)
    elseif not r then
      quarantine(KEYS[5], owner, id, raw)
      redis.call('ZREM', from, id)
    else
      if source ~= 'l' then redis.call('ZREM', from, id) end
      redis.call('ZADD', KEYS[4], token, id)
      out[#out + 1] = id
      out[#out + 1] = raw
    end
  end
end
return out
)lua";

constexpr const char* settle_body = R"lua(
if #ARGV % 4 ~= 0 then return redis.error_reply('ERR settle: arguments') end
local now, settled, owners = now_ms(), {}, {}
for i = 1, #ARGV, 4 do
  local id, token, owner, keep = ARGV[i], ARGV[i + 1], KEYS[1 + tonumber(ARGV[i + 2])], ARGV[i + 3] == '1'
  local score = redis.call('ZSCORE', KEYS[1], id)
  if score and tonumber(score) == tonumber(token) then
    redis.call('ZREM', KEYS[1], id)
    local raw, wrong = hget(owner, id)
    if not wrong then
      redis.call('HDEL', owner, id)
      if keep and raw then redis.call('HSET', owner, 'sent:' .. id, now .. '|' .. raw) end
      owners[owner] = true
    end
    settled[#settled + 1] = 1
  else
    settled[#settled + 1] = 0
  end
end
for owner in pairs(owners) do tidy(owner, now) end
return settled
)lua";

constexpr const char* hand_back_body = R"lua(
local id, token, delay, count = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4] == '1'
local score = redis.call('ZSCORE', KEYS[1], id)
if not score or tonumber(score) ~= tonumber(token) or not delay then return 0 end
local raw, wrong = hget(KEYS[3], id)
local r = parse(raw)
redis.call('ZREM', KEYS[1], id)
if not r then
  if not wrong then redis.call('HDEL', KEYS[3], id) end
  return 0
end
-- The record keeps the time it was meant to arrive (lateness and staleness count from it); only the lane's
-- score says when to try again.
if count then
  r.attempt = r.attempt + 1
  redis.call('HSET', KEYS[3], id, fmt(r))
end
redis.call('ZADD', KEYS[2], now_ms() + delay, id)
return 1
)lua";

constexpr const char* renew_body = R"lua(
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or tonumber(score) ~= tonumber(ARGV[2]) then return 0 end
local token = now_ms() + tonumber(ARGV[3])
redis.call('ZADD', KEYS[1], token, ARGV[1])
return token
)lua";

redis_script with_prelude(const char* body) { return redis_script(std::string(prelude) + body); }

}  // namespace

// Function-local statics: each script's SHA1 is computed once, thread-safely, on first use.
const redis_script& commit() {
    static const auto s = with_prelude(commit_body);
    return s;
}
const redis_script& claim_candidates() {
    static const auto s = with_prelude(candidates_body);
    return s;
}
const redis_script& claim() {
    static const auto s = with_prelude(claim_body);
    return s;
}
const redis_script& settle_many() {
    static const auto s = with_prelude(settle_body);
    return s;
}
const redis_script& hand_back() {
    static const auto s = with_prelude(hand_back_body);
    return s;
}
const redis_script& renew() {
    static const auto s = with_prelude(renew_body);
    return s;
}

}  // namespace rb::scripts
