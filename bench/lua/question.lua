-- The question page as htmx fetches it: a signed-in student GETs the stage fragment.
local common = dofile("bench/lua/common.lua")

setup = common.setup
response = common.count_status

function init(args)
  attempts = common.load_attempts(os.getenv("BENCH_ANSWERS"))
  slots = tonumber(os.getenv("BENCH_SLOTS"))
  total = common.pair_count(attempts)
  k = slot
end

function request()
  if not attempts then
    return wrk.format("GET", "/")  -- wrk checks the script once outside any thread
  end
  local entry, question = common.pair(attempts, k % total)
  k = k + slots
  return wrk.format("GET", "/attempts/" .. entry.attempt .. "/questions/" .. question .. "/", {
    ["Cookie"] = entry.cookie,
    ["HX-Request"] = "true",
    ["HX-Target"] = "stage",
  })
end

function done(summary, latency, requests)
  common.report(os.getenv("BENCH_NAME") or "question", summary, latency)
end
