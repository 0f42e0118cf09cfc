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
-- RB_BENCH_MODE=thanks: new updates saying "thanks" (a reply and the seen mark committed, no plan).
-- RB_BENCH_MODE=callback: new presses of a reminder's Done button for a reminder that is not pending (an
-- answerCallbackQuery committed to the outbox and sent, nothing else changed).
local mode = os.getenv("RB_BENCH_MODE") or "run"
local duplicate = mode == "duplicate"
local text = mode == "thanks" and "thanks" or "finished 15 miles"
-- Each mode's update ids in their own range, so one mode's updates are not duplicates of another's.
local mode_offset = ({thanks = 30000000, callback = 60000000})[mode] or 0

request = function()
  counter = counter + 1
  local id = base + mode_offset + counter
  if duplicate then id = 1 end
  local chat = 100000 + (id % 10000)
  local body
  if mode == "callback" then
    body = string.format(
      '{"update_id":%d,"callback_query":{"id":"cb%d","from":{"id":%d,"is_bot":false,"first_name":"Runner"},' ..
      '"message":{"message_id":%d,"chat":{"id":%d,"type":"private"},"date":1764400000,"text":"Eat now"},' ..
      '"chat_instance":"ci%d","data":"r:done:%d:1764400000:eat"}}', id, id, chat, id, chat, chat, chat)
  else
    body = string.format(
      '{"update_id":%d,"message":{"message_id":%d,"from":{"id":%d,"is_bot":false,"first_name":"Runner",' ..
      '"last_name":"Bench","username":"runner_%d","language_code":"en"},"chat":{"id":%d,"first_name":"Runner",' ..
      '"last_name":"Bench","username":"runner_%d","type":"private"},"date":1764400000,"text":"%s",' ..
      '"entities":[]}}', id, id, chat, chat, chat, chat, text)
  end
  return wrk.format("POST", "/telegram", {
    ["Content-Type"] = "application/json",
    ["X-Telegram-Bot-Api-Secret-Token"] = secret,
  }, body)
end
