-- POST each queued decision exactly once. Run with as many threads as connections (-t N -c N):
-- each thread then has one connection, and its responses come back in the order of its requests.
--   ITA_WRK_QUEUE     lines "doc_id<TAB>cookie<TAB>path<TAB>url-encoded body"
--   ITA_WRK_THREADS   the -t given to wrk: thread k takes lines k, k + N, k + 2N, ...
--   ITA_WRK_RESULT    done() writes its JSON line there; ITA_WRK_SENT gets "doc_id status" lines
--   ITA_WRK_FINISHED  each thread appends a line when its queue is empty (then wrk is stopped)
-- request() only looks at the head of the queue and response() removes it: wrk calls request()
-- once more than it sends (to check the script), so popping there would lose a decision.
local common = dofile(os.getenv("ITA_WRK_DIR") .. "/common.lua")

local queue = {}
non2xx = 0
statuses = {}
sent = {}
first_us = nil
last_us = nil

function setup(thread)
  common.setup(thread)
end

function init(args)
  local threads = tonumber(os.getenv("ITA_WRK_THREADS"))
  local n = 0
  for line in io.lines(os.getenv("ITA_WRK_QUEUE")) do
    if n % threads == id then
      local doc, cookie, path, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)$")
      queue[#queue + 1] = { doc = doc, cookie = cookie, path = path, body = body }
    end
    n = n + 1
  end
end

function request()
  local head = queue[1]
  if head == nil then  -- wrk's check in its main state (no queue there)
    return wrk.format("GET", "/login")
  end
  first_us = first_us or common.now_us()
  local headers = {
    ["Cookie"] = head.cookie,
    ["User-Agent"] = common.agent,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }
  return wrk.format("POST", head.path, headers, head.body)
end

function response(status, headers, body)
  local head = table.remove(queue, 1)
  last_us = common.now_us()
  if status < 200 or status > 399 then
    non2xx = non2xx + 1
  end
  statuses[status] = (statuses[status] or 0) + 1
  sent[#sent + 1] = head.doc .. " " .. status
  if #queue == 0 then
    wrk.thread:stop()
    local finished = io.open(os.getenv("ITA_WRK_FINISHED"), "a")
    finished:write(id, "\n")
    finished:close()
  end
end

function done(summary, latency, requests)
  local out = io.open(os.getenv("ITA_WRK_SENT"), "w")
  local first, last = nil, 0
  for _, thread in ipairs(common.threads) do
    for _, line in ipairs(thread:get("sent")) do
      out:write(line, "\n")
    end
    local began = thread:get("first_us")
    if began and (first == nil or began < first) then
      first = began
    end
    last = math.max(last, thread:get("last_us") or 0)
  end
  out:close()
  -- wrk's own duration runs until it is stopped; the decisions took first request to last reply
  common.report(summary, latency, { span_us = first and (last - first) or 0 })
end
