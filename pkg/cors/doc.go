// Package cors judges a cross-origin request the way a browser does, without
// doing any I/O: given an [Exchange] (what script asked for, the preflight
// and the actual request's hops), [Evaluate] returns a [Diagnosis] whose
// first error is the one the browser reports, with the exact console line
// Chromium prints, followed by the errors a developer would hit next, then
// hazards and facts.
//
// # What it implements
//
// The rules are those of [the Fetch standard] as Chromium 156 applies them
// ([Chromium's network service]); each step cites where it comes from:
//
//   - "normalize a method", forbidden methods, CORS-safelisted methods
//     ([NormalizeMethod], [IsForbiddenMethod], [IsSafelistedMethod]);
//   - forbidden request-headers ([IsForbiddenHeader]) and "CORS-safelisted
//     request-header": the five names with their value rules (Accept bytes,
//     language bytes, Content-Type by its MIME type before ';', a single
//     bytes=N- or bytes=N-M Range), the 128-byte value limit and the
//     1024-byte total that makes every safelisted header unsafe; the
//     "CORS-unsafe request-header names" and the exact
//     Access-Control-Request-Headers value, lower case, sorted, joined by ","
//     ([Profile.PlanRequest]);
//   - "CORS-preflight fetch" in Chromium's order (preflight_controller.cc):
//     a redirect fails; the CORS check on the preflight runs before the
//     status check, so an OPTIONS 404 without Access-Control-Allow-Origin is
//     reported as the missing header; then Access-Control-Allow-Methods and
//     -Headers are parsed as token lists and the method (case-sensitively)
//     and every unsafe header name (case-insensitively) must be covered, `*`
//     counting as a wildcard only without credentials;
//   - "CORS check" (Chromium's CheckAccess): one Access-Control-Allow-Origin
//     value, `*` only without credentials, a byte-exact origin, and
//     Access-Control-Allow-Credentials exactly "true" with credentials;
//   - "HTTP-redirect fetch": at most 20 redirects, the CORS check on every
//     hop while the CORS flag is set, the redirect taint that turns Origin
//     into null after a cross-origin hop, userinfo in Location
//     ([Profile.Redirect] for probers that follow hops themselves);
//   - "CORS-safelisted response-header name" and
//     Access-Control-Expose-Headers, for what script can read.
//
// # Where browsers depart from the standard
//
// A [Profile] holds each browser's departures as data, and its console
// vocabulary ([Messages]): the engine records what a line names
// ([Console]) and each profile says it in its own words ([Profile.Judge],
// [Profile.Lines]). [Chromium] is the default and was verified against
// Chromium 156; [Firefox] and [Safari] (WebKit) are the others:
//
//   - Chromium safelists client hints the standard does not (DPR,
//     Device-Memory, Downlink, Width, Viewport-Width, RTT, ECT, Save-Data,
//     Intervention), so they need no preflight there but do in Firefox;
//   - Chromium and Firefox let `Access-Control-Allow-Headers: *` cover
//     Authorization (the standard does not), with a deprecation warning;
//   - Chromium caps Access-Control-Max-Age at 7200 seconds (Firefox 86400),
//     and falls back to 5 seconds for a value that overflows an int64;
//   - Chromium still forbids script to set User-Agent;
//   - Chromium combines repeated request header names into one line before
//     classifying them, and parses allow lists with quote-aware splitting
//     that ignores empty elements (net::HttpUtil::ValuesIterator);
//   - Chromium does not CORS-check a 304 that answers its own cache
//     revalidation;
//   - WebKit checks the preflight's status before its allow-origin header
//     ([Profile].StatusBeforeOrigin) and caps the cache at 600 seconds;
//   - Chromium and Firefox gate Local Network Access ([Profile].LocalNetworkAccess):
//     Chromium refuses a non-secure page outright
//     ([Profile].LocalNetworkBlocksInsecure), Firefox asks as for any page;
//     WebKit has no such gate.
//
// Chromium names the first failing header in request-header order; an
// [http.Header] has no order, so the engine names the first in sorted order.
//
// # Findings
//
// Every finding has a stable, kebab-case [Code] registered with [Register]
// (the engine's own are in codes.go; other packages add theirs), a severity
// (error blocks in the browser, warning is a hazard, info), Chromium's
// DevTools CorsError name and failedParameter, and Firefox's reason key.
// [Codes] lists them; each has a page docs/findings/<code>.md.
//
// [the Fetch standard]: https://fetch.spec.whatwg.org/
// [Chromium's network service]: https://source.chromium.org/chromium/chromium/src/+/main:services/network/public/cpp/cors/
package cors
