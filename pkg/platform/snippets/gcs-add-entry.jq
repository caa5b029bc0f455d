# Adds the page of $rule to a Cloud Storage bucket's CORS entries, as
# `gcloud storage buckets describe --format="json(cors_config)"` prints them
# ({"cors_config": [...]}, or {} when there are none), and prints the list
# that --cors-file takes; every entry already there stays. Cloud Storage
# answers with the first entry whose origin and method match the request
# (XML API, Get Bucket CORS): where one matches the page, the page's
# headers go into its responseHeader, its other values kept, as an entry
# added after it would never answer; else $rule is added at the end.
def matches: ((.origin // []) | any(.[]; . == $rule.origin[0] or . == "*"))
  and ((.method // []) | any(.[]; . as $m | $m == "*" or ($rule.method | any(.[]; . == $m))));
(.cors_config // [])
| (first(range(length) as $k | select(.[$k] | matches) | $k) // null) as $i
| if $i == null then . + [$rule]
  else .[$i].responseHeader = reduce $rule.responseHeader[] as $h (.[$i].responseHeader // [];
    if any(.[]; ascii_downcase == ($h | ascii_downcase)) then . else . + [$h] end)
  end
