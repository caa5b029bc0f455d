# True when a cache policy's configuration (get-cache-policy's
# CachePolicyConfig) puts Origin in the cache key: its answers are then
# cached per page origin, and Origin reaches the origin server.
.ParametersInCacheKeyAndForwardedToOrigin.HeadersConfig
| .HeaderBehavior == "whitelist" and ((.Headers.Items // []) | map(ascii_downcase) | index("origin") != null)
