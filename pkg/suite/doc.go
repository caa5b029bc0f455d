// Package suite is the front door of `corsdiag ci`: it reads a list of
// checks from a YAML file (corsdiag.yaml), runs each check × origin through
// the live probe concurrently, judges every exchange with the CORS engine
// the way Chromium does, compares the verdict with what the check expects
// (allow or deny), and renders the run as text, JSON, JUnit XML, SARIF,
// Markdown, HTML and GitHub workflow annotations.
//
// A network failure (no HTTP answer) is retried with exponential backoff and
// kept apart from a CORS failure: the first says nothing about CORS.
package suite
