package platform

import (
	"strings"
	"testing"
)

// Where an authorizer takes the preflight, the OPTIONS route without one
// goes on the ANY route's own path (a more specific match than
// /{proxy+}), or on /{proxy+} before $default or where the route is not
// known, in every form.
func TestHTTPAPIOptionsRouteAtTheRoutesPath(t *testing.T) {
	forms := []Format{FormatConsole, FormatAWSCLI, FormatCloudFormation, FormatSAM,
		FormatTerraform, FormatCDK, FormatOpenAPI, FormatServerless}
	for _, tc := range []struct{ route, want string }{
		{"", "/{proxy+}"},
		{"$default", "/{proxy+}"},
		{"/items/{id}", "/items/{id}"},
	} {
		for _, f := range forms {
			c := FixContext{Route: tc.route, Preflight: PreflightAnswer{Status: 401}}
			out := httpAPIOptionsRoute(c, f)
			if !strings.Contains(out, tc.want) {
				t.Errorf("route %q, %s: no %s in\n%s", tc.route, f, tc.want, out)
			}
			if tc.want != "/{proxy+}" && strings.Contains(out, "{proxy+}") {
				t.Errorf("route %q, %s: still /{proxy+} in\n%s", tc.route, f, out)
			}
		}
	}
}
