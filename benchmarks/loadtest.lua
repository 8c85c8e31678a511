-- wrk script of `make loadtest` (benchmarks.loadtest): POSTs a valid body to LOADTEST_PATH, each request with its
-- own contact e-mail and subject (the duplicate check must not fold them), municipalities and topics from the
-- loaded catalogue (LOADTEST_MUNICIPALITIES, LOADTEST_TOPICS: comma lists). LOADTEST_KIND is "submit" or "floor".
-- done() writes status counts, latency percentiles and the ids of the 201s' bodies as JSON to LOADTEST_OUT.

local function split(s)
  local out = {}
  for item in string.gmatch(s or "", "[^,]+") do table.insert(out, item) end
  return out
end

local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  kind = os.getenv("LOADTEST_KIND") or "submit"
  tag = os.getenv("LOADTEST_TAG") or "run"
  municipalities = split(os.getenv("LOADTEST_MUNICIPALITIES"))
  topics = split(os.getenv("LOADTEST_TOPICS"))
  codes = {}
  ids = {}
  wrk.method = "POST"
  wrk.path = os.getenv("LOADTEST_PATH") or "/api/v1/enquiries/"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Accept"] = "application/json"
end

function request()
  counter = counter + 1
  local email = string.format("last-%s-%d-%d@loadtest.invalid", tag, tid, counter)
  local body
  if kind == "floor" then
    body = string.format('{"name": "Last %d-%d", "email": "%s"}', tid, counter, email)
  else
    local m = municipalities[(counter % #municipalities) + 1]
    local t = topics[(counter % #topics) + 1]
    body = string.format(
      '{"municipality": "%s", "contact_name": "Lasttest %d-%d", "contact_email": "%s", ' ..
      '"subject": "Lasttest %s %d-%d", "message": "Wir planen eine Datenplattform und suchen Erfahrungen ' ..
      'anderer Kommunen mit offenen Daten und Sensorik.", "topics": ["%s"], "support_type": "contact", ' ..
      '"consent": true}',
      m, tid, counter, email, tag, tid, counter, t)
  end
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  local key = tostring(status)
  codes[key] = (codes[key] or 0) + 1
  if status == 201 then
    local id = string.match(body or "", '"id":%s*(%d+)')
    if id then table.insert(ids, id) end
  end
end

function done(summary, latency, requests)
  local merged = {}
  local created = {}
  for _, thread in ipairs(threads) do
    local c = thread:get("codes")
    for k, v in pairs(c) do merged[k] = (merged[k] or 0) + v end
    for _, id in ipairs(thread:get("ids")) do table.insert(created, id) end
  end
  local parts = {}
  for k, v in pairs(merged) do table.insert(parts, string.format('"%s": %d', k, v)) end
  local e = summary.errors
  local out = io.open(os.getenv("LOADTEST_OUT"), "w")
  out:write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, "codes": {%s}, "ids": [%s]}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout, table.concat(parts, ", "), table.concat(created, ", ")))
  out:close()
end
