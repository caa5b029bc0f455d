# Puts $rule first in an S3 CORS configuration ({"CORSRules": [...]}): S3
# answers with the first rule that matches, so a rule for the page's origin
# after a "*" rule is never used. Every other rule stays, in its order; the
# same rule already there moves first rather than being added twice.
.CORSRules = ([$rule] + ((.CORSRules // []) | map(select(. != $rule))))
