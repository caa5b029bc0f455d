package deps

import (
	_ "github.com/chromedp/chromedp"
	_ "github.com/fatih/color"
	_ "github.com/google/martian/v3/har"
	_ "github.com/hashicorp/hcl/v2/hclparse"
	_ "github.com/jstemmer/go-junit-report/v2/junit"
	_ "github.com/olekukonko/tablewriter"
	_ "github.com/owenrumney/go-sarif/v2/sarif"
	_ "github.com/santhosh-tekuri/jsonschema/v6"
	_ "github.com/schollz/progressbar/v3"
	_ "github.com/spf13/cobra"
	_ "github.com/spf13/cobra/doc"
	_ "go.yaml.in/yaml/v3"
	_ "mvdan.cc/sh/v3/syntax"
)
