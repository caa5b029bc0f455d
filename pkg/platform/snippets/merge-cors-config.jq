# Merges $add into a CORS configuration of API Gateway HTTP APIs or Lambda
# function URLs ({"AllowOrigins": [...], "AllowMethods": [...], ...}, or
# null when there is none): every origin, method and header already allowed
# stays, the page's are added; credentials are only ever switched on, and an
# existing MaxAge is kept.
(. // {}) as $c
| $c
| .AllowOrigins = ((($c.AllowOrigins // []) + ($add.AllowOrigins // [])) | unique)
| .AllowMethods = ((($c.AllowMethods // []) + ($add.AllowMethods // [])) | unique)
| .AllowHeaders = ((($c.AllowHeaders // []) + ($add.AllowHeaders // [])) | unique)
| .AllowCredentials = (($c.AllowCredentials // false) or ($add.AllowCredentials // false))
| .MaxAge = ($c.MaxAge // $add.MaxAge)
| with_entries(select(.value != null))
