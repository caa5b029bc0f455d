# Merges $add into a CORS configuration of API Gateway HTTP APIs or Lambda
# function URLs ({"AllowOrigins": [...], "AllowMethods": [...], ...}, or
# null when there is none): every origin, method and header already allowed
# stays, the page's are added; credentials are only ever switched on, and an
# existing MaxAge is kept. More methods than $maxMethods (a function URL
# takes six), or any beside "*", become "*", which keeps every one allowed.
# A page sending credentials stops the merge where * is allowed today
# (HTTP APIs refuse AllowCredentials beside AllowOrigins *; function URLs
# document no answer for the pair), with $wildcardStop, which names the
# service's settings: dropping * would refuse every other page, keeping it
# fails the update or the page.
(. // {}) as $c
| if ($add.AllowCredentials // false) and (($c.AllowOrigins // []) | any(.[]; . == "*"))
  then error($wildcardStop)
  else . end
| $c
| .AllowOrigins = ((($c.AllowOrigins // []) + ($add.AllowOrigins // [])) | unique)
| .AllowMethods = ((($c.AllowMethods // []) + ($add.AllowMethods // [])) | unique
    | if $maxMethods != null and (length > $maxMethods or any(.[]; . == "*")) then ["*"] else . end)
| .AllowHeaders = ((($c.AllowHeaders // []) + ($add.AllowHeaders // [])) | unique)
| .AllowCredentials = (($c.AllowCredentials // false) or ($add.AllowCredentials // false))
| .MaxAge = ($c.MaxAge // $add.MaxAge)
| with_entries(select(.value != null))
