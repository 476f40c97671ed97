-- Answer submission as htmx posts it: each request answers a fresh question of a started
-- attempt, with the session cookie, CSRF cookie and X-CSRFToken header a browser would send.
--
-- Run with one connection per thread (-t N -c N): each response then belongs to the request
-- the thread sent last, and the thread records which answer got which status. done() writes
-- that record to BENCH_RECORD for the database check: "k status", or "k ?" when the request
-- was in flight when the run stopped (or its connection failed) and its fate is unknown.
local common = dofile("bench/lua/common.lua")

setup = common.setup

function init(args)
  attempts = common.load_attempts(os.getenv("BENCH_ANSWERS"))
  slots = tonumber(os.getenv("BENCH_SLOTS"))
  -- Later runs take answers nobody has given yet: they start past the earlier runs' answers.
  k = tonumber(os.getenv("BENCH_OFFSET") or "0") + slot
  total = common.pair_count(attempts)
  origin = "http://" .. wrk.headers["Host"]
  pending = nil
  record = {}
  exhausted = 0
end

function request()
  if not attempts then
    return wrk.format("GET", "/")  -- wrk checks the script once outside any thread
  end
  if pending then
    table.insert(record, pending .. " ?")
  end
  if k >= total then
    -- Out of fresh answers: stop and say so rather than quietly replaying old ones.
    exhausted = exhausted + 1
    pending = nil
    wrk.thread:stop()
    return wrk.format("GET", "/bench/baseline")
  end
  local entry, question, choice = common.pair(attempts, k % total)
  pending = k
  k = k + slots
  return wrk.format(
    "POST",
    "/attempts/" .. entry.attempt .. "/questions/" .. question .. "/answer/",
    {
      ["Cookie"] = entry.cookie,
      ["X-CSRFToken"] = entry.token,
      ["Origin"] = origin,
      ["HX-Request"] = "true",
      ["HX-Target"] = "question-card",
      ["Content-Type"] = "application/x-www-form-urlencoded",
    },
    "choice=" .. choice
  )
end

function response(status, headers, body)
  common.count_status(status)
  if pending then
    table.insert(record, pending .. " " .. status)
    pending = nil
  end
end

function done(summary, latency, requests)
  local path = os.getenv("BENCH_RECORD")
  local file = assert(io.open(path, "w"))
  local exhausted_total = 0
  for _, thread in ipairs(common.threads) do
    for _, line in ipairs(thread:get("record")) do
      file:write(line, "\n")
    end
    local last = thread:get("pending")
    if last then
      file:write(last, " ?\n")
    end
    exhausted_total = exhausted_total + thread:get("exhausted")
  end
  file:close()
  if exhausted_total > 0 then
    io.write("WARNING: ran out of fresh answers; give bench/data.py more --assignments\n")
  end
  common.report(os.getenv("BENCH_NAME") or "answer", summary, latency)
end
