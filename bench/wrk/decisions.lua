-- wrk script: POST /v1/decisions for a rotating set of subjects.
-- Env: XZ_KEY (platform API key), XZ_SUBJECTS (how many subjects, default 10000),
--      XZ_CHECKS (checks per request, default 1).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("XZ_KEY") or "")
local subjects = tonumber(os.getenv("XZ_SUBJECTS") or "10000")
local nchecks = tonumber(os.getenv("XZ_CHECKS") or "1")
local kinds = {
  '{"action":"personalize"}',
  '{"action":"push","channel":"sms","category":"marketing"}',
  '{"action":"use_tag","tag":"interest:1"}',
  '{"action":"process","purpose":"recommend"}',
}
local checks = {}
for i = 1, nchecks do checks[i] = kinds[((i - 1) % #kinds) + 1] end
local checks_json = "[" .. table.concat(checks, ",") .. "]"
local n = 0
request = function()
  n = n + 1
  local body = '{"subject":"user-' .. (n % subjects) .. '","checks":' .. checks_json .. '}'
  return wrk.format(nil, nil, nil, body)
end
