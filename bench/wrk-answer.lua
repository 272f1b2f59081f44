-- wrk script of the ingest bench (ingest.ts): every request a new answer as the widget sends it from
-- Chromium. The headers come from the bench (WRK_HEADERS, one "name: value" per line) so that wrk and
-- the autocannon fallback send the same request; IDS=v4 makes random ids instead of the widget's v7.
-- Prints one line, "WRK_RESULT {json}", when done.

local hex = "0123456789abcdef"
local function digits(n)
  local out = {}
  for i = 1, n do
    local r = math.random(1, 16)
    out[i] = hex:sub(r, r)
  end
  return table.concat(out)
end

local v4 = os.getenv("IDS") == "v4"
local seq = 0

-- A UUIDv7 as the widget makes it: 48 bits of ms (made distinct per request), version 7, random rest.
local function id()
  if v4 then
    local variant = math.random(1, 4)
    return digits(8) .. "-" .. digits(4) .. "-4" .. digits(3) .. "-" .. ("89ab"):sub(variant, variant) .. digits(3) .. "-" .. digits(12)
  end
  seq = seq + 1
  local ms = string.format("%012x", math.floor(os.time() * 1000) + seq)
  return ms:sub(1, 8) .. "-" .. ms:sub(9, 12) .. "-7" .. digits(3) .. "-a" .. digits(3) .. "-" .. digits(12)
end

wrk.method = "POST"
for line in (os.getenv("WRK_HEADERS") or ""):gmatch("[^\n]+") do
  local name, value = line:match("^([^:]+):%s*(.*)$")
  if name then wrk.headers[name] = value end
end

function init()
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
end

function request()
  local visitor = id()
  local body = '{"id":"' .. id() .. '","score":' .. math.random(0, 10) .. ',"respondentId":"' .. visitor ..
    '","locale":"en-US","url":"https://shop.example/checkout/done","metadata":{"plan":"pro","seats":12}}'
  return wrk.format(nil, nil, nil, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"seconds":%.3f,"non2xx":%d,"errors":%d,"p50":%.3f,"p99":%.3f}\n',
    summary.requests, summary.duration / 1e6, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
