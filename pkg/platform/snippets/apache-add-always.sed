# Turns every CORS `Header [onsuccess] set|add|merge|append|setifempty`
# (Access-Control-*, Vary; names quoted or not, any case) into `Header
# always …`. A directive continued on the next lines (a \ at the end of a
# line) is joined into one line first, so its env= or expr= condition is
# seen. A `set` line first gets a `Header unset` of the name with that
# condition: behind ProxyPass the backend's own header is in the onsuccess
# table, which `Header set` replaced and `always` does not reach (Apache
# 2.4.71: two Access-Control-Allow-Origin lines); without the condition
# the unset would take the backend's header from every other origin too.
/^[[:space:]]*Header[[:space:]]+(onsuccess[[:space:]]+)?(set|add|merge|append|setifempty)[[:space:]]+["\x27]?(Access-Control-|Vary)/I{
:join
/\\$/{$!N;s/[[:space:]]*\\\n[[:space:]]*/ /;t join
}
s/^([[:space:]]*)Header[[:space:]]+(onsuccess[[:space:]]+)?set[[:space:]]+(["\x27]?(Access-Control-|Vary)[^[:space:]]*)(.*[[:space:]])(env=[^[:space:]]+|"?expr=.*)$/\1Header unset \3 \6\n\1Header always set \3\5\6/I
s/^([[:space:]]*)Header[[:space:]]+(onsuccess[[:space:]]+)?set[[:space:]]+(["\x27]?(Access-Control-|Vary)[^[:space:]]*)/\1Header unset \3\n\1Header always set \3/I
s/^([[:space:]]*)Header[[:space:]]+(onsuccess[[:space:]]+)?(add|merge|append|setifempty)[[:space:]]+(["\x27]?(Access-Control-|Vary))/\1Header always \3 \4/I
}
