# The operations of $ops (the patch file's add /responseParameters/NAME
# operations, slurped) that a gateway response (get-gateway-response's
# output) lacks: a header it maps already, in any case, keeps its value. A
# static gateway response holds one origin, so an Access-Control-Allow-Origin
# answering another page, or '*', stays.
((.responseParameters // {}) | keys | map(ascii_downcase)) as $have
| [$ops[0][] | select((.path | ltrimstr("/responseParameters/") | ascii_downcase) as $k | any($have[]; . == $k) | not)]
