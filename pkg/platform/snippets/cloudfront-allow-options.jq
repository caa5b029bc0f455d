# The behavior serving $path allows and caches OPTIONS, all seven methods
# when the page's $method is not GET or HEAD; one already allowing OPTIONS
# is left as it is.
.DistributionConfig
| serving($path) as $at
| getpath($at) as $b
| if ($b.AllowedMethods.Items // []) | holds("OPTIONS") then .
  else setpath($at + ["AllowedMethods"];
    methods(if ["GET", "HEAD", "OPTIONS"] | holds($method) then ["GET", "HEAD", "OPTIONS"] else ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"] end)
    + {CachedMethods: methods(($b.AllowedMethods.CachedMethods.Items // ["GET", "HEAD"]) + ["OPTIONS"] | unique)})
  end
