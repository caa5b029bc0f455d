package suite

import "github.com/corsdiag/corsdiag/pkg/report"

// tableHeader is the text table's columns, as wide terminals show them.
var tableHeader = []string{"Check", "Origin", "Expected", "Got", "Finding", "Result"}

// tableFit fits the text table to the terminal (docs/ci.md lists the
// order): the check's name wraps; then Expected and Got go, as each
// failure's explanation says both; then Origin and Finding move under the
// check's name, on lines of their own. An origin and a finding code are
// never cut: users copy and search for them.
var tableFit = report.ListFit{Main: 0, Steps: []report.GiveStep{
	{Column: "Expected"},
	{Column: "Got"},
	{Column: "Origin", Place: report.Under, Prefix: "from "},
	{Column: "Finding", Place: report.Under, Prefix: "[", Suffix: "]"},
}}
