-- What pages.lua and decide.lua share: thread ids, and done()'s exact percentiles as JSON.
local ffi = require("ffi")
local common = { threads = {}, agent = "ita-bench" }

ffi.cdef([[
  typedef struct { long tv_sec; long tv_nsec; } ita_timespec;
  int clock_gettime(int clock, ita_timespec *now);
]])
local clock_now = ffi.new("ita_timespec")

function common.now_us()  -- CLOCK_MONOTONIC, in microseconds
  ffi.C.clock_gettime(1, clock_now)
  return tonumber(clock_now.tv_sec) * 1e6 + tonumber(clock_now.tv_nsec) / 1e3
end

function common.setup(thread)
  thread:set("id", #common.threads)
  common.threads[#common.threads + 1] = thread
end

local function statuses()
  local total, non2xx, parts = {}, 0, {}
  for _, thread in ipairs(common.threads) do
    non2xx = non2xx + thread:get("non2xx")
    for status, count in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  for status, count in pairs(total) do
    parts[#parts + 1] = string.format('"%d": %d', status, count)
  end
  return non2xx, "{" .. table.concat(parts, ", ") .. "}"
end

function common.report(summary, latency, extra)
  local non2xx, by_status = statuses()
  local duration = summary.duration
  if extra.span_us and extra.span_us > 0 then
    duration = extra.span_us
  end
  local e = summary.errors
  local line = string.format(
    '{"requests": %d, "duration_us": %d, "non2xx": %d, "statuses": %s, '
      .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, '
      .. '"mean_us": %.1f, "p50_us": %d, "p90_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}',
    summary.requests, duration, non2xx, by_status,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max
  )
  print("wrk-json " .. line)
  local out = io.open(os.getenv("ITA_WRK_RESULT"), "w")
  out:write(line, "\n")
  out:close()
end

return common
