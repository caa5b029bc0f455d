# A copy of a cache policy's configuration with Origin and the preflight's
# Access-Control-Request-* headers added to its cache key; its TTLs,
# cookies, query strings and other headers stay (a managed policy cannot
# be changed, and another behavior may use the policy).
.Name = ("cors-origin-" + .Name)[:128]
| .Comment = ("A copy of " + .Name[12:] + " with Origin in the cache key")[:128]
| .ParametersInCacheKeyAndForwardedToOrigin.HeadersConfig |= (
    ((.Headers.Items // []) + ["Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"] | unique) as $h
    | {HeaderBehavior: "whitelist", Headers: {Quantity: ($h | length), Items: $h}})
