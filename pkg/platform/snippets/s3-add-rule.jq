# Adds $rule to an S3 CORS configuration ({"CORSRules": [...]}), keeping
# every rule already there; a rule already present is not added twice.
.CORSRules = ((.CORSRules // []) | if any(.[]; . == $rule) then . else . + [$rule] end)
