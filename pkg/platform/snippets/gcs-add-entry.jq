# Adds $rule to a Cloud Storage bucket's CORS entries, as
# `gcloud storage buckets describe --format="json(cors_config)"` prints them
# ({"cors_config": [...]}, or {} when there are none), and prints the list
# that --cors-file takes; every entry already there stays.
(.cors_config // []) | if any(.[]; . == $rule) then . else . + [$rule] end
