# Replaces the AllowOrigins of a CORS configuration (API Gateway HTTP API)
# with the exact list $origins and sets AllowCredentials to $cred; every
# other setting (methods, headers, max age) stays.
(. // {}) | .AllowOrigins = $origins | .AllowCredentials = $cred
