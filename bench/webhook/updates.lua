-- wrk script for bench/webhook: POSTs a ~400-byte Update ("finished 15 miles") with a distinct update_id per
-- request and one of 10,000 chat ids, so de-duplication and per-chat state do real work, not no-ops.
local counter = 0
local thread_base = 0
local secret = os.getenv("RB_BENCH_SECRET") or "bench-secret"

function setup(thread)
  thread_base = thread_base + 1
  thread:set("base", thread_base * 100000000)
end

function init(args)
  counter = 0
end

-- RB_BENCH_MODE=duplicate: every request re-sends one update the bot has already handled (the cheap path:
-- one pipelined read finds it seen, 200, nothing written or sent).
local duplicate = os.getenv("RB_BENCH_MODE") == "duplicate"

request = function()
  counter = counter + 1
  local id = base + counter
  if duplicate then id = 1 end
  local chat = 100000 + (id % 10000)
  local body = string.format(
    '{"update_id":%d,"message":{"message_id":%d,"from":{"id":%d,"is_bot":false,"first_name":"Runner",' ..
    '"last_name":"Bench","username":"runner_%d","language_code":"en"},"chat":{"id":%d,"first_name":"Runner",' ..
    '"last_name":"Bench","username":"runner_%d","type":"private"},"date":1764400000,"text":"finished 15 miles",' ..
    '"entities":[]}}', id, id, chat, chat, chat, chat)
  return wrk.format("POST", "/telegram", {
    ["Content-Type"] = "application/json",
    ["X-Telegram-Bot-Api-Secret-Token"] = secret,
  }, body)
end
