-- Shared by the benchmark's wrk scripts: thread slots, the answers file and the report line.
--
-- Every wrk thread gets a slot number. With one connection per thread, a thread has at most
-- one request in flight, so each response belongs to the request the thread sent last: that is
-- what lets answer.lua account for every answer exactly.

local common = {}

local threads = {}

-- Slots are base, base + step, base + 2 * step...: two load generators, one per server, take
-- the even and the odd slots between them.
function common.setup(thread)
  local base = tonumber(os.getenv("BENCH_SLOT_BASE") or "0")
  local step = tonumber(os.getenv("BENCH_SLOT_STEP") or "1")
  thread:set("slot", base + step * #threads)
  table.insert(threads, thread)
end

common.threads = threads

-- Read the lines bench/data.py wrote: cookies, CSRF token, attempt, then question:choice pairs.
function common.load_attempts(path)
  local attempts = {}
  for line in io.lines(path) do
    local cookie, token, attempt, picks = line:match("^(%S+) (%S+) (%d+) (%S+)$")
    if cookie then
      local questions, choices = {}, {}
      for question, choice in picks:gmatch("(%d+):(%d+)") do
        table.insert(questions, question)
        table.insert(choices, choice)
      end
      table.insert(attempts, {
        cookie = cookie:gsub(";", "; "),
        token = token,
        attempt = attempt,
        questions = questions,
        choices = choices,
      })
    end
  end
  return attempts
end

-- Answers are numbered question-major (every attempt's first question, then every attempt's
-- second...), the attempts rotated by one each round so that one attempt's consecutive answers
-- land on consecutive slots: different threads, and in the cluster different servers.
-- bench/tool.py's answer_at() is the same numbering.
function common.pair(attempts, k)
  local n = #attempts
  local round = math.floor(k / n)
  local entry = attempts[((k % n) + round) % n + 1]
  return entry, entry.questions[round + 1], entry.choices[round + 1]
end

function common.pair_count(attempts)
  return #attempts * #attempts[1].questions
end

-- Count answers that are not 2xx: wrk itself only counts 4xx and 5xx as errors, and a
-- redirect to the login page must not pass for a served page.
function common.count_status(status)
  if status < 200 or status > 299 then
    not_2xx = (not_2xx or 0) + 1
  end
end

function common.report(name, summary, latency)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + (thread:get("not_2xx") or 0)
  end
  io.write(string.format(
    "RESULT name=%s requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f " ..
    "max_ms=%.2f not_2xx=%d socket_errors=%d timeouts=%d\n",
    name, summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    bad, e.connect + e.read + e.write, e.timeout))
end

return common
