-- wrk script: every request is a first web-chat message (a new conversation, an inbound message
-- and the bot's reply committed durably before the 200).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local texts = { '{"text":"gdzie bsn","lang":"pl"}', '{"text":"salariu minim","lang":"ro"}',
                '{"text":"huisarts registreren","lang":"nl"}', '{"text":"Къде да се регистрирам?","lang":"bg"}' }
local i = 0
request = function()
  i = i + 1
  return wrk.format(nil, nil, nil, texts[(i % #texts) + 1])
end
done = function(summary, latency, requests)
  local ok = summary.requests - summary.errors.status - summary.errors.connect - summary.errors.read - summary.errors.write - summary.errors.timeout
  io.write(string.format("RESULT acknowledged=%d errors=%d rps=%.0f p50_ms=%.2f p99_ms=%.2f\n",
    ok, summary.requests - ok, ok / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
