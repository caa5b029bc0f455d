# The behavior serving $path keys its cache on Origin and forwards it.
# $cachePolicy is the cache policy it is to use: a copy of its own with
# Origin in the key when its own lacked it (the shell made it), else its
# own. Legacy cache settings get Origin and Access-Control-Request-* added
# to their forwarded headers (their cache key). With CachingDisabled
# nothing is cached: the origin request policy must forward Origin; none
# gets CORS-S3Origin (an S3 origin) or CORS-CustomOrigin, a CORS or
# AllViewer one stays, any other is kept and the program stops, naming it:
# replacing it would drop what it forwards.
.DistributionConfig
| serving($path) as $at
| getpath($at) as $b
| (if $at == ["DefaultCacheBehavior"] then "the default cache behavior" else "the cache behavior " + $b.PathPattern end) as $name
| if ($b.OriginRequestPolicyId // "") == "" and ($b.CachePolicyId // "") == "" then
    if ($b.ForwardedValues.Headers.Items // []) | holds("*") then .
    else setpath($at + ["ForwardedValues", "Headers"]; methods(($b.ForwardedValues.Headers.Items // []) + ["Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"] | unique)) end
  elif $cachePolicy != "" and $cachePolicy != ($b.CachePolicyId // "") then setpath($at + ["CachePolicyId"]; $cachePolicy)
  elif $b.CachePolicyId != "4135ea2d-6df8-44a3-9df3-4b5a84be39ad" then .
  elif ($b.OriginRequestPolicyId // "") == "" then
    ([(.Origins.Items // [])[] | select(.Id == $b.TargetOriginId) | select(.S3OriginConfig != null or (.DomainName | test("[.]s3[.-]")))] | length > 0) as $s3
    | setpath($at + ["OriginRequestPolicyId"]; if $s3 then "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf" else "59781a5b-3903-41f3-afcb-af62929ccde1" end)
  elif ["88a5eaf4-2fd4-4709-b370-b4c650ea3fcf", "59781a5b-3903-41f3-afcb-af62929ccde1", "216adef6-5c7f-47e4-b989-5492eafa07d3"] | holds($b.OriginRequestPolicyId) then .
  else error("\($name) has origin request policy \($b.OriginRequestPolicyId), kept: add Origin, Access-Control-Request-Method and Access-Control-Request-Headers to it (aws cloudfront get-origin-request-policy-config), or let a response headers policy set CORS. Nothing was changed.")
  end
