--[[
crm_pbx example: FreeSWITCH tells Odoo about inbound calls (mod_lua).

In the dialplan, let the script bridge the call:

  <extension name="inbound-crm">
    <condition field="destination_number" expression="^(\d+)$">
      <action application="lua" data="crm_pbx.lua user/101@${domain_name}"/>
    </condition>
  </extension>

The script
  1. asks Odoo who is calling (GET .../lookup?format=text) and sets the
     caller id name the phones show;
  2. posts "ringing" and bridges the call to its argument;
  3. when the call ends (a hangup hook), posts "answered" if it was, then a
     "cdr" with its start, answer and end times and its disposition.

The requests go through the curl command; --max-time bounds how long a call
waits for Odoo, and a failed request only leaves Odoo without that event.
The JSON body goes to curl's standard input, the token in a header file
(HEADER_FILE, readable by FreeSWITCH only, one line:
"Authorization: Bearer <the PBX's token>"), never on a command line. The
caller's number comes from outside: it is reduced to digits and "+" first.
]]

local ODOO = "https://odoo.example.com/crm_pbx/1" -- .../crm_pbx/<PBX id>
local HEADER_FILE = "/etc/freeswitch/crm_pbx.header"
local TIMEOUT = 3 -- seconds per request

local function digits(value)
  return (tostring(value or ""):gsub("[^%d%+]", ""))
end

local function json_value(value)
  if type(value) == "number" then
    return string.format("%d", value)
  end
  local escaped = tostring(value):gsub('[%c"\\]', function(char)
    return string.format("\\u%04x", char:byte())
  end)
  return '"' .. escaped .. '"'
end

local function json(event)
  local fields = {}
  for key, value in pairs(event) do
    table.insert(fields, json_value(key) .. ":" .. json_value(value))
  end
  return "{" .. table.concat(fields, ",") .. "}"
end

local function curl(path, body)
  local command = string.format(
    "curl -sS --max-time %d -H @%s -H 'Content-Type: application/json' '%s%s'",
    TIMEOUT, HEADER_FILE, ODOO, path
  )
  if body then
    local pipe = io.popen(command .. " --data-binary @- >/dev/null", "w")
    pipe:write(body)
    pipe:close()
    return ""
  end
  local pipe = io.popen(command .. " 2>/dev/null", "r")
  local answer = pipe:read("*a") or ""
  pipe:close()
  return answer
end

local function post(event)
  curl("/events", json(event))
end

local target = argv[1]
local call_id = session:getVariable("uuid")
local caller = digits(session:getVariable("caller_id_number"))
local called = digits(session:getVariable("destination_number"))
local extension = target:match("^user/([^@]+)") or ""

-- 1. who is calling ("+" written %2B in a URL)
local name = curl("/lookup?format=text&number=" .. caller:gsub("%+", "%%2B"))
if name ~= "" then
  session:setVariable("effective_caller_id_name", name)
end

-- 2. ringing
post({
  event = "ringing", call_id = call_id, timestamp = os.time(),
  direction = "inbound", caller = caller, called = called,
  extension = extension,
})

-- 3. the end of the call: FreeSWITCH calls this global function by name
local DISPOSITIONS = {
  USER_BUSY = "busy", NO_ANSWER = "no_answer", NO_USER_RESPONSE = "no_answer",
  ALLOTTED_TIMEOUT = "no_answer", ORIGINATOR_CANCEL = "cancelled",
}

function crm_pbx_hangup(s, _status)
  local start = tonumber(s:getVariable("start_epoch")) or os.time()
  local answer = tonumber(s:getVariable("answer_epoch")) or 0
  local finish = os.time()
  local disposition = "answered"
  if answer == 0 then
    local reason = s:getVariable("originate_disposition") or ""
    disposition = DISPOSITIONS[reason] or (reason == "" and "cancelled" or "failed")
  else
    post({
      event = "answered", call_id = call_id, timestamp = answer,
      extension = extension,
    })
  end
  local cdr = {
    event = "cdr", call_id = call_id, timestamp = finish,
    direction = "inbound", caller = caller, called = called,
    extension = extension, disposition = disposition,
    start = start, ["end"] = finish,
  }
  if answer > 0 then
    cdr.answer = answer
  end
  post(cdr)
end

session:setHangupHook("crm_pbx_hangup")
session:execute("bridge", target)
if session:ready() then
  session:hangup() -- while this script runs, so that the hook is called
end
