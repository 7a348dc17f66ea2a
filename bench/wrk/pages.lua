-- GET one page, each request with the next bench user's session cookie.
--   ITA_WRK_PATH     the page, e.g. /documents/pending
--   ITA_WRK_COOKIES  a file of Cookie header values, one per logged-in user
--   ITA_WRK_RESULT   where done() writes its JSON line (also printed, after "wrk-json ")
-- Threads start at different users; a response that is not 2xx is counted (wrk itself counts
-- only status >= 400, and a 302 to the login page would pass unnoticed).
local common = dofile(os.getenv("ITA_WRK_DIR") .. "/common.lua")

local path = os.getenv("ITA_WRK_PATH")
local cookies = {}
local next_user = 1
non2xx = 0
statuses = {}

function setup(thread)
  common.setup(thread)
end

function init(args)
  for line in io.lines(os.getenv("ITA_WRK_COOKIES")) do
    cookies[#cookies + 1] = line
  end
  next_user = (id * 7) % #cookies + 1
end

function request()
  local cookie = cookies[next_user] or ""  -- empty in the main state, where wrk checks it
  next_user = next_user % math.max(#cookies, 1) + 1
  return wrk.format("GET", path, { ["Cookie"] = cookie, ["User-Agent"] = common.agent })
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  common.report(summary, latency, {})
end
