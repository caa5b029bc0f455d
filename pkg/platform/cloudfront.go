package platform

// Amazon CloudFront, usually in front of S3 or API Gateway. Sources:
// CloudFront developer guide: "Configure CloudFront to respect CORS
// settings", managed origin request policies (CORS-S3Origin
// 88a5eaf4-2fd4-4709-b370-b4c650ea3fcf, CORS-CustomOrigin
// 59781a5b-3903-41f3-afcb-af62929ccde1), response headers policies.

import (
	"fmt"
	"strings"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

const idCloudFront = "aws-cloudfront"

// CloudFront finding codes.
const (
	CodeCloudFrontCache     cors.Code = "cloudfront-cache-without-origin"
	CodeCloudFrontNoOptions cors.Code = "cloudfront-options-not-allowed"
)

func init() {
	registerPlatforms(platformInfo{idCloudFront, "Amazon CloudFront", tierCDN, FormatAWSCLI})
	fingerprints = append(fingerprints, cloudFrontFingerprint)
	causes = append(causes, cloudFrontCauses)
	cors.Register(
		cors.Info{Code: CodeCloudFrontCache, Severity: cors.SeverityError, Title: "CloudFront caches CORS answers without keying on Origin", Spec: "CloudFront developer guide, Configuring CloudFront to respect CORS settings",
			Fix: "Forward Origin and Access-Control-Request-* to the origin (origin request policy CORS-S3Origin or CORS-CustomOrigin) and key the cache on them, or let a response headers policy set CORS."},
		cors.Info{Code: CodeCloudFrontNoOptions, Severity: cors.SeverityError, Title: "CloudFront does not allow OPTIONS on this behavior", Spec: "CloudFront developer guide, Allowed HTTP methods",
			Fix: "Set the cache behavior's allowed methods to GET, HEAD, OPTIONS (or all methods) and cache OPTIONS."},
	)
	addFixes(CodeCloudFrontCache,
		fixBuilder{FormatConsole, "CloudFront console", func(c FixContext) string {
			return fmt.Sprintf(`1. CloudFront console → Distributions → the distribution → Behaviors → the behavior serving %s → Edit.
2. Cache key and origin requests: Origin request policy = CORS-S3Origin (S3 origin) or CORS-CustomOrigin (API Gateway, ALB, other);
   Cache policy: one whose cache key includes the Origin header (or CachingDisabled for an API).
   Legacy cache settings there instead: keep them (query strings, cookies, TTLs) and add Origin, Access-Control-Request-Method and Access-Control-Request-Headers to their headers; no origin request policy then.
   Or: Response headers policy = a custom CORS policy allowing %s and every origin, method and header the origin server allows today, credentials too if it allows them (CloudFront then sets the headers itself, in place of the origin's).
   A behavior takes one: a response headers policy it has today (security or custom headers) gets these CORS settings instead, or its headers copied into the new one.
3. Allowed HTTP methods: %s; cache OPTIONS. Save, then invalidate: aws cloudfront create-invalidation --distribution-id YOUR_DISTRIBUTION_ID --paths '/*'`, c.Path, c.Origin, cloudFrontMethodsSaid(c))
		}},
		fixBuilder{FormatAWSCLI, "the behavior serving the path keys its cache on Origin (its policies kept), then invalidate", cloudFrontKeyOriginCLI},
		fixBuilder{FormatCloudFormation, "cache behavior with the CORS origin request policy and a CORS response headers policy", func(c FixContext) string {
			return fmt.Sprintf(`# Merge by hand into the behavior serving %s (DefaultCacheBehavior or the
# CacheBehaviors entry whose PathPattern matches): its other keys, and
# an origin request policy or cache policy it has, stay. It takes one
# response headers policy: a response headers policy it has today
# (security or custom headers) gets this CorsConfig instead, or its
# headers copied into this one.
Resources:
  CorsHeadersPolicy:
    Type: AWS::CloudFront::ResponseHeadersPolicy
    Properties:
      ResponseHeadersPolicyConfig:
        Name: page-cors
        CorsConfig:
          # OriginOverride replaces the origin server's CORS
          # headers: each list holds what it allows today
          AccessControlAllowOrigins:
            # the values already there stay: every origin the
            # origin server allows today, the page's added
            Items: [%s]
          AccessControlAllowMethods:
            # the methods the origin server
            # allows today, the page's added
            Items: [%s]
          AccessControlAllowHeaders:
            # the request headers the origin server
            # allows today, the page's added
            Items: [%s]
          AccessControlAllowCredentials: %s
          AccessControlMaxAgeSec: 7200
          OriginOverride: true
  Distribution:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        DefaultCacheBehavior:
          TargetOriginId: origin
          ViewerProtocolPolicy: redirect-to-https
          AllowedMethods: [%s]%s
          CachedMethods: [GET, HEAD, OPTIONS]
          # A cache policy there stays, and takes this origin request
          # policy unless it has one. Legacy ForwardedValues there
          # instead (no cache policy) stay as they are, query strings,
          # cookies and TTLs included: add Origin,
          # Access-Control-Request-Method and
          # Access-Control-Request-Headers to their
          # Headers, and no origin request policy.
          CachePolicyId: 658327ea-f89d-4fab-a63d-7e88639e58f6        # CachingOptimized: a new behavior only
          OriginRequestPolicyId: 88a5eaf4-2fd4-4709-b370-b4c650ea3fcf # CORS-S3Origin (CORS-CustomOrigin: 59781a5b-3903-41f3-afcb-af62929ccde1), if it has none
          ResponseHeadersPolicyId: !Ref CorsHeadersPolicy
`, c.Path, c.quotedOrigins(), quoteList(c.Methods), quoteList(c.Headers), c.replacing().credentials("#", ""),
				strings.Join(cloudFrontMethods(c), ", "), cloudFrontMethodsNote(c, "#"))
		}},
		fixBuilder{FormatCDK, "origin request policy and response headers policy (TypeScript)", func(c FixContext) string {
			return fmt.Sprintf(`// Merge by hand into the behavior serving %s (defaultBehavior or its
// additionalBehaviors entry): its other options, and an origin request
// policy it has, stay. It takes one response headers policy: a
// response headers policy it has today (security or custom headers)
// gets this corsBehavior instead, or its headers copied into this one.
new cloudfront.Distribution(this, 'Dist', {
  defaultBehavior: {
    origin,
    allowedMethods: cloudfront.AllowedMethods.%s
    cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD_OPTIONS,
    originRequestPolicy: cloudfront.OriginRequestPolicy.CORS_S3_ORIGIN, // CORS_CUSTOM_ORIGIN for API Gateway/ALB
    responseHeadersPolicy: new cloudfront.ResponseHeadersPolicy(this, 'Cors', {
      corsBehavior: {
        // originOverride replaces the origin server's CORS headers:
        // each list holds what it allows today
        // every origin the origin server allows
        // today, the page's added
        accessControlAllowOrigins: [%s],
        // the methods the origin server allows today, the page's added
        accessControlAllowMethods: [%s],
        // the request headers the origin server
        // allows today, the page's added
        accessControlAllowHeaders: [%s],
        accessControlAllowCredentials: %s
        originOverride: true,
      },
    }),
  },
});`, c.Path, cloudFrontCDKMethods(c), c.jsOrigins(), singleQuoted(c.Methods), singleQuoted(c.Headers), c.replacing().credentials("//", ","))
		}},
		fixBuilder{FormatTerraform, "a cache policy keyed on Origin for the cache behavior", func(c FixContext) string {
			return `# Merge by hand into the block serving ` + c.Path + ` (default_cache_behavior or the
# ordered_cache_behavior whose path_pattern matches): its other
# arguments stay. An origin request policy forwards Origin but leaves
# it out of the cache key; the cache policy must hold it. Copy the
# TTLs, cookies and query strings of the cache policy the block uses
# today into this one; a block with forwarded_values instead (legacy)
# keeps them, Origin, Access-Control-Request-Method and
# Access-Control-Request-Headers added to its headers, and takes no
# cache policy.
resource "aws_cloudfront_cache_policy" "by_origin" {
  name        = "cache-by-origin"
  default_ttl = 86400
  max_ttl     = 31536000
  min_ttl     = 1
  parameters_in_cache_key_and_forwarded_to_origin {
    enable_accept_encoding_gzip   = true
    enable_accept_encoding_brotli = true
    headers_config {
      header_behavior = "whitelist"
      headers {
        items = ["Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"]
      }
    }
    cookies_config {
      cookie_behavior = "none"
    }
    query_strings_config {
      query_string_behavior = "none"
    }
  }
}

resource "aws_cloudfront_distribution" "this" {
  # ... origins, viewer_certificate, restrictions ...
  default_cache_behavior {
    target_origin_id       = "origin"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = [` + quoteList(cloudFrontMethods(c)) + `]` + cloudFrontMethodsNote(c, "#") + `
    cached_methods         = ["GET", "HEAD", "OPTIONS"]
    cache_policy_id        = aws_cloudfront_cache_policy.by_origin.id
  }
}
`
		}},
	)
	addFixes(CodeCloudFrontNoOptions,
		fixBuilder{FormatConsole, "CloudFront console", func(c FixContext) string {
			return "CloudFront console → the distribution → Behaviors → Edit →\n" +
				"Allowed HTTP methods: GET, HEAD, OPTIONS (or GET, HEAD, OPTIONS, PUT,\n" +
				"POST, PATCH, DELETE for an API); Cache HTTP methods: tick OPTIONS.\n" +
				"Save."
		}},
		fixBuilder{FormatAWSCLI, "add OPTIONS to the behavior serving the path", func(c FixContext) string {
			return cloudFrontBehaviorCLI(c, jqCloudFrontAllowOptions, `# the behavior serving the path, alone,
# gets OPTIONS added (all seven methods
# for a method other than GET or HEAD); the methods it allows stay`)
		}},
		fixBuilder{FormatCloudFormation, "AllowedMethods on the cache behavior", func(c FixContext) string {
			return `# In the behavior serving ` + c.Path + ` (DefaultCacheBehavior or the
# CacheBehaviors entry whose PathPattern matches) only
# AllowedMethods and CachedMethods change.
Resources:
  Distribution:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        DefaultCacheBehavior:
          TargetOriginId: origin
          ViewerProtocolPolicy: redirect-to-https
          AllowedMethods: [GET, HEAD, OPTIONS, PUT, POST, PATCH, DELETE]
          CachedMethods: [GET, HEAD, OPTIONS]
`
		}},
		fixBuilder{FormatTerraform, "allowed_methods on the cache behavior", func(c FixContext) string {
			return `# In the block serving ` + c.Path + ` (default_cache_behavior or the
# ordered_cache_behavior whose path_pattern matches) only
# allowed_methods and cached_methods change.
resource "aws_cloudfront_distribution" "this" {
  # ... origins, viewer_certificate, restrictions ...
  default_cache_behavior {
    target_origin_id       = "origin"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]
    cached_methods         = ["GET", "HEAD", "OPTIONS"]
  }
}
`
		}},
		fixBuilder{FormatCDK, "allowedMethods on the behavior (TypeScript)", func(c FixContext) string {
			return `// in the behavior serving ` + c.Path + ` (defaultBehavior or its
// additionalBehaviors entry)
defaultBehavior: {
  origin,
  allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
  cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD_OPTIONS,
},`
		}},
	)
}

// cloudFrontMethods are the allowed methods of a behavior serving the
// page, in the sets CloudFront takes: GET, HEAD, OPTIONS for a page
// sending one of them, all seven for another (as cloudfront-allow-options.jq
// chooses). Written by hand over a behavior, three would drop the PUT or
// POST it allows today: cloudFrontMethodsNote says to keep all seven.
func cloudFrontMethods(c FixContext) []string {
	switch c.Method {
	case "GET", "HEAD", "OPTIONS":
		return []string{"GET", "HEAD", "OPTIONS"}
	}
	return []string{"GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"}
}

func cloudFrontMethodsNote(c FixContext, mark string) string {
	if len(cloudFrontMethods(c)) == 7 {
		return ""
	}
	return " " + mark + " or all seven, where it has them today"
}

func cloudFrontMethodsSaid(c FixContext) string {
	out := strings.Join(cloudFrontMethods(c), ", ")
	if len(cloudFrontMethods(c)) < 7 {
		out += " (or all seven, where it has them today)"
	}
	return out
}

func cloudFrontCDKMethods(c FixContext) string {
	if len(cloudFrontMethods(c)) == 7 {
		return "ALLOW_ALL,"
	}
	return "ALLOW_GET_HEAD_OPTIONS, // or ALLOW_ALL (all seven), where it has them today"
}

// cloudFrontBehaviorCLI reads the distribution's configuration, changes
// the behavior serving c.Path with the jq program and writes the whole
// configuration back: update-distribution replaces it.
func cloudFrontBehaviorCLI(c FixContext, program, comment string) string {
	path, _, _ := strings.Cut(c.Path, "?")
	return fmt.Sprintf(`DIST=YOUR_DISTRIBUTION_ID
%s
aws cloudfront get-distribution-config --id "$DIST" --output json > dist.json \
  && jq --arg path %s --arg method %s %s dist.json > config.json \
  && aws cloudfront update-distribution --id "$DIST" --if-match "$(jq -r .ETag dist.json)" --distribution-config file://config.json`,
		comment, shQuote(path), shQuote(c.Method), shQuote(inlineJQ(jqCloudFrontBehavior)+"\n"+inlineJQ(program)))
}

// cloudFrontKeyOriginCLI makes the behavior serving c.Path cache per page
// origin: an origin request policy forwards headers without putting them
// in the cache key, so an answer cached for one origin (or for none) would
// still be served to the others. A cache policy lacking Origin is copied
// with it added (TTLs, cookies, query strings stay) and the copy put on
// that behavior alone.
func cloudFrontKeyOriginCLI(c FixContext) string {
	path, _, _ := strings.Cut(c.Path, "?")
	return fmt.Sprintf(`DIST=YOUR_DISTRIBUTION_ID
# the behavior serving the path, alone.
# Its cache policy, unless it keys on
# Origin already (or is CachingDisabled), is copied with Origin and
# Access-Control-Request-* added to the
# key: the copy replaces it on this
# behavior only. Without caching, an origin request policy forwards
# Origin; another one in place is kept and named, nothing changed.
aws cloudfront get-distribution-config --id "$DIST" --output json > dist.json \
  && CACHE_POLICY=$(jq -r --arg path %[1]s %[2]s dist.json) \
  && KEY_POLICY=$CACHE_POLICY \
  && { [ -z "$CACHE_POLICY" ] || [ "$CACHE_POLICY" = 4135ea2d-6df8-44a3-9df3-4b5a84be39ad ] \
    || { aws cloudfront get-cache-policy --id "$CACHE_POLICY" --query CachePolicy.CachePolicyConfig --output json > cache-policy.json \
      && { jq -e %[3]s cache-policy.json > /dev/null \
        || { jq %[4]s cache-policy.json > cache-policy-origin.json \
          && KEY_POLICY=$(aws cloudfront create-cache-policy --cache-policy-config file://cache-policy-origin.json --query CachePolicy.Id --output text); }; }; }; } \
  && jq --arg path %[1]s --arg cachePolicy "$KEY_POLICY" %[5]s dist.json > config.json \
  && aws cloudfront update-distribution --id "$DIST" --if-match "$(jq -r .ETag dist.json)" --distribution-config file://config.json \
  && aws cloudfront create-invalidation --distribution-id "$DIST" --paths '/*'`,
		shQuote(path),
		shQuote(inlineJQ(jqCloudFrontBehavior)+"\n.DistributionConfig | getpath(serving($path)) | .CachePolicyId // \"\""),
		shQuote(inlineJQ(jqCloudFrontKeysOrigin)), shQuote(inlineJQ(jqCloudFrontKeyOrigin)),
		shQuote(inlineJQ(jqCloudFrontBehavior)+"\n"+inlineJQ(jqCloudFrontForwardOrigin)))
}

func cloudFrontFingerprint(o *observation, r *response) []signal {
	if r == nil {
		if strings.HasSuffix(o.host, ".cloudfront.net") {
			return []signal{{idCloudFront, 3, "host " + o.host + " is a CloudFront distribution"}}
		}
		return nil
	}
	var out []signal
	if v := r.header("Via"); strings.Contains(v, "cloudfront.net (CloudFront)") {
		out = append(out, signal{idCloudFront, 3, "Via: " + show(v)})
	}
	if v := r.header("X-Cache"); strings.HasSuffix(strings.ToLower(v), "from cloudfront") {
		out = append(out, signal{idCloudFront, 3, "X-Cache: " + show(v)})
	}
	if r.hasHeader("X-Amz-Cf-Id") || r.hasHeader("X-Amz-Cf-Pop") {
		out = append(out, signal{idCloudFront, 3, "header X-Amz-Cf-Id/X-Amz-Cf-Pop"})
	}
	if strings.EqualFold(r.header("Server"), "CloudFront") {
		out = append(out, signal{idCloudFront, 3, "Server: CloudFront (an answer CloudFront made itself)"})
	}
	return out
}

func cloudFrontHit(m *cors.Message) bool {
	return strings.HasPrefix(strings.ToLower(header(m, "X-Cache")), "hit from cloudfront") ||
		strings.HasPrefix(strings.ToLower(header(m, "X-Cache")), "refreshhit from cloudfront")
}

func cloudFrontCauses(a *analysis) []cors.Finding {
	if !a.has(idCloudFront) {
		return nil
	}
	var out []cors.Finding
	pf := a.obs.preflight()
	if pf != nil && pf.resp != nil && pf.resp.Status == 403 && strings.EqualFold(header(pf.resp, "Server"), "CloudFront") &&
		(strings.Contains(body(pf.resp), "not configured to allow the HTTP request method") || strings.HasPrefix(strings.ToLower(header(pf.resp, "X-Cache")), "error from cloudfront")) {
		out = append(out, a.finding(CodeCloudFrontNoOptions, idCloudFront, "preflight", true,
			"CloudFront itself answered the OPTIONS preflight 403 (Server: CloudFront, \"This distribution is not configured to allow the HTTP request method that was used for this request\"): the cache behavior's allowed methods do not include OPTIONS, so the preflight never reaches the origin",
			"Allow GET, HEAD, OPTIONS (or all methods) on the behavior and cache OPTIONS."))
	}
	for _, r := range []*response{pf, a.obs.final()} {
		if r == nil || r.resp == nil || !a.blocks(r.step) {
			continue
		}
		acao := header(r.resp, cors.HeaderAllowOrigin)
		hit := cloudFrontHit(r.resp)
		s3Behind := a.hasAny(idS3, idS3Website)
		if !(hit || s3Behind && !hasACAO(r.resp) && r.resp.Status < 400) {
			continue
		}
		what := "the answer has no Access-Control-Allow-Origin"
		if acao != "" && acao != a.fixContext().Origin && acao != "*" {
			what = "the answer allows " + show(acao) + ", another page's origin"
		}
		how := "a cached copy (" + show(header(r.resp, "X-Cache")) + ") made for a request with another Origin, or none, was served to this one"
		if !hit {
			how = "CloudFront did not forward the Origin header to S3 (S3 adds CORS headers only when it sees Origin), so the cache holds the answer without them"
		}
		out = append(out, a.finding(CodeCloudFrontCache, idCloudFront, r.step, true,
			"CloudFront served the "+stepWords(r.step)+" and "+what+": "+how+". The cache key of the behavior does not include Origin",
			"Attach the CORS-S3Origin (S3) or CORS-CustomOrigin origin request policy and a cache policy keyed on Origin, or a response headers policy allowing "+a.fixContext().originsSaid()+"; then invalidate the cache."))
		break
	}
	if len(out) == 0 && a.hasCode(cors.CodeMissingVaryOrigin) {
		if fin := a.obs.final(); fin != nil && fin.resp != nil {
			out = append(out, a.finding(CodeCloudFrontCache, idCloudFront, fin.step, false,
				"CloudFront caches this answer, which echoes "+a.fixContext().Origin+" without Vary: Origin: unless the behavior's cache key includes Origin, the next page from another origin gets this copy and is blocked",
				"Key the cache on Origin (a cache policy including the Origin header) or let a response headers policy set CORS."))
		}
	}
	return out
}
