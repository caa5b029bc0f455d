package platform

// Amazon S3 (REST and website endpoints). Source:
// docs.aws.amazon.com/AmazonS3/latest/userguide/cors-troubleshooting.html
// (the CORSResponse messages) and ManageCorsUsing.html (the rules).

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

const (
	idS3        = "aws-s3"
	idS3Website = "aws-s3-website"
)

// S3 finding codes.
const (
	CodeS3CORSNotEnabled   cors.Code = "s3-cors-not-enabled"
	CodeS3CORSRuleMismatch cors.Code = "s3-cors-rule-mismatch"
	CodeS3WildcardCreds    cors.Code = "s3-wildcard-rule-with-credentials"
)

var (
	reS3Website = regexp.MustCompile(`^(.+)\.s3-website[.-]([a-z0-9-]+)\.amazonaws\.com$`)
	reS3Host    = regexp.MustCompile(`^(?:(.+?)\.)?s3(?:[.-][a-z0-9-]+)*\.amazonaws\.com$`)
	reS3Region  = regexp.MustCompile(`s3[.-](?:website[.-])?(?:dualstack\.)?([a-z]{2}-[a-z]+-\d)\.amazonaws\.com$`)
)

func init() {
	registerPlatforms(
		platformInfo{idS3, "Amazon S3", tierServer, FormatAWSCLI},
		platformInfo{idS3Website, "Amazon S3 website endpoint", tierServer, FormatAWSCLI},
	)
	exclusive = append(exclusive, []string{idS3Website, idS3})
	fingerprints = append(fingerprints, s3Fingerprint)
	causes = append(causes, s3Causes)
	const spec = "Amazon S3 user guide, Troubleshooting CORS"
	cors.Register(
		cors.Info{Code: CodeS3CORSNotEnabled, Severity: cors.SeverityError, Title: "S3: the bucket has no CORS configuration", Spec: spec,
			Fix: "Put a CORS configuration on the bucket allowing the page's origin, method and headers."},
		cors.Info{Code: CodeS3CORSRuleMismatch, Severity: cors.SeverityError, Title: "S3: no CORS rule matches the origin, method and headers", Spec: spec,
			Fix: "Add a CORS rule whose AllowedOrigins, AllowedMethods and AllowedHeaders cover the request."},
		cors.Info{Code: CodeS3WildcardCreds, Severity: cors.SeverityError, Title: "S3: a `*` CORS rule answers a page that sends credentials", Spec: "Amazon S3 user guide, CORS configuration; Fetch §CORS check step 3",
			Fix: "Put a rule for the page's origin first in the bucket's CORS configuration, before the `*` rule: S3 uses the first rule that matches, and answers a listed origin with itself and Access-Control-Allow-Credentials: true."},
	)
	// The page's rule goes first: S3 answers with the first rule that
	// matches. Terraform's cors_rule blocks are a set, in no order: no
	// form for it.
	addFixes(CodeS3WildcardCreds,
		fixBuilder{FormatConsole, "S3 console", func(c FixContext) string {
			return fmt.Sprintf("S3 console → Buckets → %s → Permissions →\n"+
				"Cross-origin resource sharing (CORS) → Edit → first inside the [ ]\n"+
				"list, before the rule with \"*\" (keep every rule), add:\n%s", c.Bucket, s3CorsRuleJSON(c))
		}},
		fixBuilder{FormatAWSCLI, "get-bucket-cors, put the page's rule first (jq), put-bucket-cors", s3FirstRuleCLI},
		fixBuilder{FormatCloudFormation, "CorsConfiguration on AWS::S3::Bucket, the page's rule first", func(c FixContext) string {
			return s3WholeNote(c, true, "#", "CorsConfiguration", "deploy") +
				s3CFN(c, ` first, before the "*" rule`)
		}},
	)
	for _, code := range []cors.Code{CodeS3CORSNotEnabled, CodeS3CORSRuleMismatch} {
		// A rule refused the request: rules are in place, wherever set.
		whole := func(c FixContext, mark, what string) string {
			return s3WholeNote(c, code == CodeS3CORSRuleMismatch, mark, what, "deploy")
		}
		addFixes(code,
			fixBuilder{FormatConsole, "S3 console", func(c FixContext) string {
				return fmt.Sprintf("S3 console → Buckets → %s → Permissions →\n"+
					"Cross-origin resource sharing (CORS) → Edit → inside the [ ] list,\n"+
					"after the rules already there (keep them), add:\n%s", c.Bucket, s3CorsRuleJSON(c))
			}},
			fixBuilder{FormatAWSCLI, "get-bucket-cors, add the rule (jq), put-bucket-cors", s3MergeCLI},
			fixBuilder{FormatCloudFormation, "CorsConfiguration on AWS::S3::Bucket", func(c FixContext) string {
				return whole(c, "#", "CorsConfiguration") + s3CFN(c, "")
			}},
			fixBuilder{FormatSAM, "CorsConfiguration on AWS::S3::Bucket (SAM templates take CloudFormation resources)", func(c FixContext) string {
				return whole(c, "#", "CorsConfiguration") + s3CFN(c, "")
			}},
			fixBuilder{FormatCDK, "cors on the Bucket (TypeScript)", func(c FixContext) string {
				ms := make([]string, 0)
				for _, m := range s3Methods(c) {
					ms = append(ms, "s3.HttpMethods."+m)
				}
				return whole(c, "//", "cors") + fmt.Sprintf(`new s3.Bucket(this, 'Bucket', {
  cors: [
    // ...the rules already in cors stay; add this one
    {
      allowedOrigins: ['%s'],
      allowedMethods: [%s],
      allowedHeaders: [%s],
      exposedHeaders: ['ETag'],
      maxAge: 3000,
    },
  ],
});`, c.Origin, strings.Join(ms, ", "), singleQuoted(c.Headers))
			}},
			fixBuilder{FormatTerraform, "aws_s3_bucket_cors_configuration", func(c FixContext) string {
				note := s3WholeNote(c, code == CodeS3CORSRuleMismatch, "#", "This resource", "apply")
				if note != "" {
					note += "# One per bucket, and not beside cors_rule blocks in the aws_s3_bucket:\n" +
						"# they would fight.\n"
				}
				return note + fmt.Sprintf(`resource "aws_s3_bucket_cors_configuration" "this" {
  bucket = "%s"

  # the cors_rule blocks already in this resource stay; add this one
  cors_rule {
    allowed_origins = [%s]
    allowed_methods = [%s]
    allowed_headers = [%s]
    expose_headers  = ["ETag"]
    max_age_seconds = 3000
  }
}
`, c.Bucket, quoteList([]string{c.Origin}), quoteList(s3Methods(c)), quoteList(c.Headers))
			}},
			fixBuilder{FormatServerless, "serverless.yml resources (CloudFormation)", func(c FixContext) string {
				return whole(c, "#", "CorsConfiguration") + "resources:\n" + indent(s3CFN(c, ""), "  ")
			}},
		)
	}
}

// s3WholeNote warns, where rules exist (known, or the context says a
// configuration may), that a template's CORS configuration is the bucket's
// whole one: S3's PutBucketCors replaces it, so rules set in the console or
// with the CLI are deleted on deploy unless copied in. what names the
// template's piece.
func s3WholeNote(c FixContext, rulesExist bool, mark, what, deploy string) string {
	if !rulesExist && !c.keepsList() {
		return ""
	}
	return fmt.Sprintf(`%[1]s %[2]s is the bucket's whole CORS configuration: rules
%[1]s set outside it (the console, the CLI) are deleted on %[4]s unless
%[1]s copied in first; to list them:
%[1]s aws s3api get-bucket-cors --bucket %[3]s
`, mark, what, c.Bucket, deploy)
}

// s3Methods are the methods an S3 rule may list: GET, PUT, POST, DELETE,
// HEAD (OPTIONS is not one; S3 answers preflights from the rules).
func s3Methods(c FixContext) []string {
	var out []string
	for _, m := range c.Methods {
		switch m {
		case "GET", "PUT", "POST", "DELETE", "HEAD":
			out = appendUnique(out, m)
		}
	}
	if len(out) == 0 {
		out = []string{"GET"}
	}
	return out
}

// s3CorsRuleJSON is the page's rule, as the console's JSON editor shows
// rules.
func s3CorsRuleJSON(c FixContext) string {
	return fmt.Sprintf(`{
      "AllowedOrigins": [%s],
      "AllowedMethods": [%s],
      "AllowedHeaders": [%s],
      "ExposeHeaders": ["ETag"],
      "MaxAgeSeconds": 3000
}`, quoteList([]string{c.Origin}), quoteList(s3Methods(c)), quoteList(c.Headers))
}

// s3CFN is the rule in the bucket's resource. It writes no BucketName: a
// changed (or added) name makes CloudFormation replace the bucket. where
// ends the line that says where the rule goes ("" beside the others).
func s3CFN(c FixContext, where string) string {
	return fmt.Sprintf(`Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      CorsConfiguration:
        CorsRules:
          # keep the rules already in CorsRules; add this one%s
          - AllowedOrigins: [%s]
            AllowedMethods: [%s]
            AllowedHeaders: [%s]
            ExposedHeaders: [ETag]
            MaxAge: 3000
`, where, quoteList([]string{c.Origin}), quoteList(s3Methods(c)), quoteList(c.Headers))
}

func indent(s, by string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = by + l
		}
	}
	return strings.Join(lines, "\n") + "\n"
}

func s3Fingerprint(o *observation, r *response) []signal {
	if r == nil {
		switch {
		case o.aws && reS3Website.MatchString(o.host):
			return []signal{{idS3Website, 3, "host " + o.host + " is an S3 website endpoint"}}
		case o.aws && reS3Host.MatchString(o.host):
			return []signal{{idS3, 3, "host " + o.host + " is an S3 endpoint"}}
		}
		return nil
	}
	m := r.resp
	var out []signal
	if strings.EqualFold(r.header("Server"), "AmazonS3") {
		out = append(out, signal{idS3, 3, "Server: AmazonS3"})
	}
	if r.hasHeader("x-amz-id-2") && r.hasHeader("x-amz-request-id") {
		out = append(out, signal{idS3, 2, "headers x-amz-id-2 and x-amz-request-id"})
	}
	b := body(m)
	if strings.Contains(b, "CORSResponse: ") {
		out = append(out, signal{idS3, 3, "S3's CORSResponse error body"})
	}
	if strings.Contains(b, "<li>Code: ") && strings.Contains(b, "<li>RequestId: ") {
		out = append(out, signal{idS3Website, 3, "S3 website endpoint's HTML error page"})
	}
	return out
}

func s3Causes(a *analysis) []cors.Finding {
	id := idS3
	if a.has(idS3Website) {
		id = idS3Website
	} else if !a.has(idS3) {
		return nil
	}
	c := *a.fixContext()
	if rep := a.diag.Reported(); rep != nil && (rep.Code == cors.CodeWildcardCredentials || rep.Code == cors.CodePreflightWildcardCredentials) {
		return []cors.Finding{a.finding(CodeS3WildcardCreds, id, rep.Step, true,
			fmt.Sprintf("S3 answered Access-Control-Allow-Origin: *: the first rule of bucket %s's CORS configuration that matches the request allows origin *, and S3 answers such a rule with * and no Access-Control-Allow-Credentials, which the browser never accepts for a request with credentials", c.Bucket),
			"Put a rule for "+c.Origin+" first in "+c.Bucket+"'s CORS configuration, before the * rule: S3 answers a listed origin with itself and Access-Control-Allow-Credentials: true, and the * rule still answers the other origins.")}
	}
	for _, r := range []*response{a.obs.preflight(), a.obs.final()} {
		if r == nil || r.resp == nil || hasACAO(r.resp) {
			continue
		}
		b := body(r.resp)
		switch {
		case strings.Contains(b, "CORS is not enabled for this bucket"):
			return []cors.Finding{a.finding(CodeS3CORSNotEnabled, id, r.step, true,
				fmt.Sprintf("S3 rejected the %s with %d \"CORSResponse: CORS is not enabled for this bucket.\": bucket %s has no CORS configuration", r.step, r.resp.Status, c.Bucket),
				"Put a CORS configuration on "+c.Bucket+" allowing "+c.Origin+", "+strings.Join(s3Methods(c), ", ")+" and "+c.headerList(", ")+".")}
		case strings.Contains(b, "This CORS request is not allowed"):
			return []cors.Finding{a.listFinding(CodeS3CORSRuleMismatch, id, "AllowedOrigins", r.step,
				fmt.Sprintf("S3 rejected the %s with %d \"CORSResponse: This CORS request is not allowed.\": bucket %s has CORS rules, but none allows origin %s with method %s and headers %s (origins match exactly, scheme and port included; every requested header must be in AllowedHeaders)", r.step, r.resp.Status, c.Bucket, c.Origin, c.Method, c.headerList(", ")),
				"Add a rule to "+c.Bucket+"'s CORS configuration for "+c.Origin+", "+strings.Join(s3Methods(c), ", ")+", headers "+c.headerList(", ")+".")}
		case a.blocks(r.step) && r.resp.Status < 400:
			return []cors.Finding{a.finding(CodeS3CORSRuleMismatch, id, r.step, true,
				fmt.Sprintf("S3 answered %d without Access-Control-Allow-Origin: S3 adds CORS headers only when a rule of the bucket's CORS configuration matches the Origin and method, and none did (or the bucket has none, or a CDN in front did not forward Origin)", r.resp.Status),
				"Check with aws s3api get-bucket-cors --bucket "+c.Bucket+"; add a rule for "+c.Origin+".")}
		}
	}
	return nil
}
