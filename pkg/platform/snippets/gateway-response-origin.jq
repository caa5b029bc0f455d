# The operations that make a gateway response (get-gateway-response's
# output) answer a page that sends credentials: its Access-Control-Allow-Origin
# set to $origin where it maps '*' (replace) or nothing (add), and
# Access-Control-Allow-Credentials 'true' added where it maps none. An
# origin mapped there other than '*' stays (it answers another page), and so
# do the other headers, the status and the templates: update-gateway-response
# changes only the paths it is given. Header names match in any case.
(.responseParameters // {}) as $p
| "gatewayresponse.header.access-control-allow-origin" as $acao
| "gatewayresponse.header.access-control-allow-credentials" as $acac
| ([$p | to_entries[] | select(.key | ascii_downcase == $acao)] | first) as $have
| [ if $have == null
    then {op: "add", path: "/responseParameters/gatewayresponse.header.Access-Control-Allow-Origin", value: $origin}
    elif ($have.value | gsub("\\s"; "")) == "\u0027*\u0027"
    then {op: "replace", path: ("/responseParameters/" + $have.key), value: $origin}
    else empty end,
    if any($p | keys[]; ascii_downcase == $acac) then empty
    else {op: "add", path: "/responseParameters/gatewayresponse.header.Access-Control-Allow-Credentials", value: "\u0027true\u0027"} end ]
