-- The framework's ceiling: GET the constant baseline view, no cookies (see config/views.py).
local common = dofile("bench/lua/common.lua")

setup = common.setup
response = common.count_status

function done(summary, latency, requests)
  common.report(os.getenv("BENCH_NAME") or "baseline", summary, latency)
end
