-- wrk script for bench/bench_webhook.py: cycles through pre-signed, unique deliveries.
--
-- The Python side writes, into the directory in $BENCH_DIR: prefix.bin and suffix.bin (the
-- envelope's bytes before and after its submission_id) and requests.tsv, one delivery per
-- line: webhook-id, webhook-timestamp, webhook-signature, submission_id. The body is
-- prefix .. submission_id .. suffix, byte for byte what was signed, so the client does no
-- hashing and no JSON at all. Thread k of n takes lines k, k+n, k+2n, ...

local dir = os.getenv("BENCH_DIR")
local path = os.getenv("BENCH_PATH")
local threads, created = {}, 0

function setup(thread)
  created = created + 1
  thread:set("tid", created)
  table.insert(threads, thread)
end

local function slurp(name)
  local file = assert(io.open(dir .. "/" .. name, "rb"))
  local data = file:read("*a")
  file:close()
  return data
end

function init(args)
  local nthreads = tonumber(args[1])
  prefix, suffix = slurp("prefix.bin"), slurp("suffix.bin")
  deliveries, statuses, wrapped, index = {}, {}, 0, 0
  local line_no = 0
  for line in io.lines(dir .. "/requests.tsv") do
    if line_no % nthreads == tid - 1 then
      local id, ts, sig, sid = line:match("^([^\t]+)\t([^\t]+)\t([^\t]+)\t([^\t]+)$")
      table.insert(deliveries, {id, ts, sig, sid})
    end
    line_no = line_no + 1
  end
end

function request()
  index = index + 1
  if index > #deliveries then
    index, wrapped = 1, wrapped + 1  -- reported: repeats would be 200s, not new reports
  end
  local d = deliveries[index]
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/json",
    ["webhook-id"] = d[1], ["webhook-timestamp"] = d[2], ["webhook-signature"] = d[3],
  }, prefix .. d[4] .. suffix)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts, wraps = {}, 0
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      counts[tostring(status)] = (counts[tostring(status)] or 0) + count
    end
    wraps = wraps + thread:get("wrapped")
  end
  local parts = {}
  for status, count in pairs(counts) do
    table.insert(parts, string.format('"%s": %d', status, count))
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, ' ..
    '"p99_us": %d, "max_us": %d, "wrapped": %d, "errors": {"connect": %d, "read": %d, ' ..
    '"write": %d, "status": %d, "timeout": %d}, "statuses": {%s}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, wraps, e.connect, e.read, e.write, e.status,
    e.timeout, table.concat(parts, ", ")))
end
