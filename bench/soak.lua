-- wrk script for the soak: rotates over the paths given after `--`, counts
-- non-2xx answers, and prints one BENCH_JSON line like report.lua.
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  thread:set("non2xx", 0)
  table.insert(threads, thread)
end

function init(args)
  paths = args
  if #paths == 0 then
    paths = { "/healthz/" }
  end
  n = id or 0
  non2xx = 0
end

function request()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local non2xx_total = 0
  for _, thread in ipairs(threads) do
    non2xx_total = non2xx_total + (thread:get("non2xx") or 0)
  end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "seconds": %.3f, "rps": %.2f, "bytes": %d, ' ..
    '"latency_ms": {"mean": %.2f, "p50": %.2f, "p90": %.2f, "p95": %.2f, "p99": %.2f, "max": %.2f}, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d, "status": %d, "non2xx": %d}}\n',
    summary.requests, seconds, summary.requests / seconds, summary.bytes,
    latency.mean / 1000, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.connect, e.read, e.write, e.timeout, e.status, non2xx_total))
end
