# Replaces the AllowOrigins of a CORS configuration (API Gateway HTTP API)
# with the exact list $origins; credentials are only ever switched on
# ($cred), as a page the configuration serves today may send cookies; every
# other setting (methods, headers, max age) stays.
(. // {}) | .AllowOrigins = $origins | .AllowCredentials = ((.AllowCredentials // false) or $cred)
