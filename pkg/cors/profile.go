package cors

import "strings"

// Profile holds the small, known ways one browser engine departs from the
// Fetch standard, as data, so "works in Chrome, fails in Firefox" is a
// question of which profile judges the exchange.
type Profile struct {
	Name string
	// ExtraSafelisted are request headers the browser safelists beyond the
	// standard's five, with their value rules.
	ExtraSafelisted map[string]func(string) bool
	// ExtraForbidden are request headers (lower case) the browser still
	// refuses to let script set although the standard allows it.
	ExtraForbidden map[string]bool
	// MaxAgeCap is the longest preflight cache life honoured, in seconds.
	MaxAgeCap int
	// WildcardCoversAuthorization: `Access-Control-Allow-Headers: *` lets
	// Authorization through (the standard says it must not).
	WildcardCoversAuthorization bool
	// StatusBeforeOrigin: the preflight's status is checked before its
	// Access-Control-Allow-Origin (WebKit); Chromium and Gecko check the
	// origin first.
	StatusBeforeOrigin bool
	// Version is the browser version the profile was verified against.
	Version string
}

// Chromium is the default profile, verified against Chromium 156 by the
// conformance suite (pkg/conformance).
var Chromium = &Profile{
	Name:    "chromium",
	Version: "156",
	ExtraSafelisted: map[string]func(string) bool{
		// Chromium services/network/public/cpp/cors/cors.cc IsCorsSafelistedHeader:
		// device-memory, dpr and downlink are 1*DIGIT ["." 1*DIGIT]; width,
		// viewport-width and rtt 1*DIGIT; ect a known connection type;
		// save-data "on" in any case; intervention anything. The sec-ch-*
		// hints it also lists are forbidden to script anyway.
		"device-memory":  isDecimal,
		"dpr":            isDecimal,
		"downlink":       isDecimal,
		"width":          isInteger,
		"viewport-width": isInteger,
		"rtt":            isInteger,
		"ect":            isECT,
		"save-data":      func(v string) bool { return asciiLower(v) == "on" },
		"intervention":   func(string) bool { return true },
	},
	// Chromium keeps User-Agent forbidden (crbug.com/571722); the standard
	// dropped it from the list in 2015 and Firefox lets script set it.
	ExtraForbidden:              map[string]bool{"user-agent": true},
	MaxAgeCap:                   7200,
	WildcardCoversAuthorization: true,
}

// Firefox departs from Chromium in the safelist and the cache cap.
var Firefox = &Profile{
	Name:                        "firefox",
	ExtraSafelisted:             map[string]func(string) bool{},
	MaxAgeCap:                   86400,
	WildcardCoversAuthorization: true,
}

// Profiles by name, for --browser.
var Profiles = map[string]*Profile{"chromium": Chromium, "firefox": Firefox}

func isInteger(v string) bool { return v != "" && allDigits(v) }

// isDecimal is 1*DIGIT ["." 1*DIGIT].
func isDecimal(v string) bool {
	whole, frac, dot := strings.Cut(v, ".")
	if !isInteger(whole) {
		return false
	}
	return !dot || isInteger(frac)
}

func isECT(v string) bool {
	switch v {
	case "slow-2g", "2g", "3g", "4g":
		return true
	}
	return false
}
