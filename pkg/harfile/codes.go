package harfile

import "github.com/corsdiag/corsdiag/pkg/cors"

// Finding codes of the HAR reader: what a recording can and cannot tell.
const (
	// CodeCauseNotInFile: the browser blocked the request but the file does
	// not record the response headers that would show why.
	CodeCauseNotInFile cors.Code = "cause-not-in-file"
	// CodePreflightNotRecorded: the request needed a preflight but the file
	// holds none (preflight cache hit, or an exporter that leaves them out).
	CodePreflightNotRecorded cors.Code = "preflight-not-recorded"
	// CodeOnlyPreflightRecorded: the file holds a preflight but not the
	// request it guarded.
	CodeOnlyPreflightRecorded cors.Code = "only-preflight-recorded"
	// CodeCredentialsNotRecorded: a file without failure markers (Firefox,
	// Safari) shows an allowed request whose headers fail with
	// credentials, and it does not record whether script sent them.
	CodeCredentialsNotRecorded cors.Code = "credentials-not-recorded"
	// CodeAllowedDespiteHeaders: a file that marks failures (Chrome's)
	// shows an allowed request whose recorded answer, the server's, fails
	// the CORS check: an extension or a flag let it through.
	CodeAllowedDespiteHeaders cors.Code = "allowed-despite-headers"
)

func init() {
	cors.Register(
		cors.Info{Code: CodeCauseNotInFile, Severity: cors.SeverityError,
			Title: "The browser blocked the request, but the file does not record why",
			Spec:  "Fetch §CORS check; Chromium records a CORS failure as status 0 with net::ERR_FAILED",
			Fix:   "Run the printed `corsdiag check` command (or `corsdiag har --replay`) to send the same request from the terminal and see the server's answer."},
		cors.Info{Code: CodePreflightNotRecorded, Severity: cors.SeverityInfo,
			Title: "The request needed a preflight, but the file holds none",
			Spec:  "Fetch §CORS-preflight cache",
			Fix:   "Nothing to fix if the request worked: the browser reused a cached preflight. To see it, disable the cache in DevTools and record again."},
		cors.Info{Code: CodeOnlyPreflightRecorded, Severity: cors.SeverityInfo,
			Title: "Only the preflight of this request is in the file",
			Spec:  "Fetch §HTTP fetch step 4.1 (CORS-preflight fetch)",
			Fix:   "When the preflight failed, fix the OPTIONS answer; the browser sends the request only after a preflight passes."},
		cors.Info{Code: CodeCredentialsNotRecorded, Severity: cors.SeverityWarning,
			Title: "The export does not say whether the request carried credentials, and with them these headers fail",
			Spec:  "Fetch §CORS check steps 3 and 6 (credentials mode include)",
			Fix:   "If the page sends this request with credentials: 'include' (or XHR withCredentials), the browser blocked it: " + notRecordedServerFix + " Otherwise nothing to do."},
		cors.Info{Code: CodeAllowedDespiteHeaders, Severity: cors.SeverityWarning,
			Title: "The browser allowed the request, but the server's recorded answer fails the CORS check",
			Spec:  "Fetch §CORS check; Chromium DevTools records the response headers the network service received (Network.responseReceivedExtraInfo)",
			Fix:   "Fix the server as the finding named in the message says, then load the page in a browser profile without extensions: other users' browsers block the request."},
	)
}

// notRecordedServerFix is credentials-not-recorded's fix on the server.
const notRecordedServerFix = "send the page's origin instead of `*` (echo the request's Origin only when it is on your allow-list) and send Access-Control-Allow-Credentials: true."
