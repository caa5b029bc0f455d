package curlcmd

import (
	"errors"
	"strings"
	"testing"
)

// chromePowerShell is Chrome's "Copy as PowerShell" of a credentialed PUT
// (the shape of NetworkLogView.generatePowerShellCommand).
const chromePowerShell = "$session = New-Object Microsoft.PowerShell.Commands.WebRequestSession\n" +
	"$session.UserAgent = \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36\"\n" +
	"$session.Cookies.Add((New-Object System.Net.Cookie(\"sid\", \"abc\", \"/\", \"api.example.com\")))\n" +
	"Invoke-WebRequest -UseBasicParsing -Uri \"https://api.example.com/items/7\" `\n" +
	"-Method \"PUT\" `\n" +
	"-WebSession $session `\n" +
	"-Headers @{\n" +
	"\"authority\"=\"api.example.com\"\n" +
	"  \"method\"=\"PUT\"\n" +
	"  \"path\"=\"/items/7\"\n" +
	"  \"scheme\"=\"https\"\n" +
	"  \"accept\"=\"*/*\"\n" +
	"  \"origin\"=\"https://app.example.com\"\n" +
	"  \"x-request-id\"=\"r-`\"1`\"\"\n" +
	"} `\n" +
	"-ContentType \"application/json\" `\n" +
	"-Body ([System.Text.Encoding]::UTF8.GetBytes(\"{`\"name`\":`\"caf$([char]233)`\"}\"))"

// firefoxPowerShell has the shape of Firefox's "Copy as PowerShell" (its
// netmonitor test browser_net_copy_as_powershell.js): -UserAgent, a bare
// -Method, "key" = "value" lines, a body with $([char]9).
const firefoxPowerShell = "$session = New-Object Microsoft.PowerShell.Commands.WebRequestSession\n" +
	"$session.Cookies.Add((New-Object System.Net.Cookie(\"bob\", \"true\", \"/\", \"api.example.com\")))\n" +
	"$session.Cookies.Add((New-Object System.Net.Cookie(\"tom\", \"cool\", \"/\", \"api.example.com\")))\n" +
	"Invoke-WebRequest -UseBasicParsing -Uri \"https://api.example.com/items\" `\n" +
	"-Method POST `\n" +
	"-WebSession $session `\n" +
	"-UserAgent \"Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0\" `\n" +
	"-Headers @{\n" +
	"\"Accept\" = \"*/*\"\n" +
	"  \"X-Name\" = \"it's\"\n" +
	"  \"Origin\" = \"https://app.example.com\"\n" +
	"  \"Sec-Fetch-Mode\" = \"cors\"\n" +
	"} `\n" +
	"-ContentType \"text/plain;charset=UTF-8\" `\n" +
	"-Body ([System.Text.Encoding]::UTF8.GetBytes(\"tab $([char]9)\"))"

// singleQuoted uses PowerShell's other quoting and ; between entries.
const singleQuoted = "Invoke-WebRequest -Uri 'https://api.example.com/items' `\r\n" +
	"-Headers @{ 'Accept' = '*/*'; 'Origin' = 'https://app.example.com'; 'X-Name' = 'it''s' }"

func TestParsePowerShell(t *testing.T) {
	tests := []struct {
		name, text          string
		url, method, origin string
		header, value       string
		body, cookie        string
	}{
		{"Chrome", chromePowerShell, "https://api.example.com/items/7", "PUT", "https://app.example.com", "X-Request-Id", `r-"1"`, `{"name":"café"}`, "sid=abc"},
		{"Firefox", firefoxPowerShell, "https://api.example.com/items", "POST", "https://app.example.com", "X-Name", "it's", "tab \t", "bob=true; tom=cool"},
		{"single quotes", singleQuoted, "https://api.example.com/items", "GET", "https://app.example.com", "X-Name", "it's", "", ""},
		{"a literal $", "iwr \"https://api.example.com/x?a=`$b&c=$\" -Headers @{Origin='https://app.example.com'; 'X-Name'='$v'; 'X-B'=\"1 $ 2\"}", "https://api.example.com/x?a=$b&c=$", "GET", "https://app.example.com", "X-Name", "$v", "", ""},
		// The copy says the method the browser sent: fetch() upper-cases
		// only the six standard names, and a lowercase patch is what the
		// server's Access-Control-Allow-Methods: PATCH does not match.
		{"lowercase patch", `iwr https://api.example.com/x -Method "patch" -Headers @{Origin="https://app.example.com"}`, "https://api.example.com/x", "patch", "https://app.example.com", "", "", "", ""},
		{"positional URI, irm", `irm https://api.example.com/x -Method Delete -Headers @{Origin="https://app.example.com"}`, "https://api.example.com/x", "DELETE", "https://app.example.com", "", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParsePowerShell(tt.text)
			if err != nil {
				t.Fatal(err)
			}
			if c.URL != tt.url || c.Method != tt.method || c.Origin() != tt.origin || string(c.Body) != tt.body || c.Cookie != tt.cookie {
				t.Errorf("got %s %s origin %q body %q cookie %q", c.Method, c.URL, c.Origin(), c.Body, c.Cookie)
			}
			if tt.header != "" && c.Header.Get(tt.header) != tt.value {
				t.Errorf("%s = %q, want %q", tt.header, c.Header.Get(tt.header), tt.value)
			}
			for _, pseudo := range []string{"Authority", "Path", "Scheme", "Method"} {
				if c.Header.Get(pseudo) != "" {
					t.Errorf("pseudo-header %s kept", pseudo)
				}
			}
		})
	}
	c, err := ParsePowerShell(chromePowerShell)
	if err != nil {
		t.Fatal(err)
	}
	if c.Header.Get("Content-Type") != "application/json" || !c.Credentials {
		t.Errorf("Chrome: Content-Type %q, credentials %v", c.Header.Get("Content-Type"), c.Credentials)
	}
}

func TestParsePowerShellErrors(t *testing.T) {
	tests := []struct {
		text   string
		offset int
		want   string
	}{
		{`Invoke-WebRequest -Uri "https://a/`, 23, "the string is not closed"},
		{`Invoke-WebRequest -Uri https://a/ -Headers @{ "a" "b" }`, 50, "want = after the key"},
		{`Invoke-WebRequest -Uri https://a/ -Headers @{ a = b`, 43, "hashtable @{ is not closed"},
		{`Invoke-WebRequest -Uri https://a/ -Headers "x"`, 43, "wants a hashtable"},
		{`Invoke-WebRequest -Uri https://a/ -Headers @{ "a b" = "1" }`, 46, "not a header name"},
		{`Invoke-WebRequest -Uri https://a/ -Frobnicate 1`, 34, "does not know"},
		{`Invoke-WebRequest -Uri https://a/ -Method`, 34, "has no value"},
		{`Invoke-WebRequest -Uri "https://a/$([char]x)"`, 34, "character number"},
		{"$x = 1", 0, "no Invoke-WebRequest"},
		{"iwr https://a/\niwr https://b/", 15, "a second Invoke-WebRequest"},
		// PowerShell would expand these (DevTools writes `$): the request
		// sent would not be the one the copy describes.
		{`Invoke-WebRequest -Uri "https://a/$env:USERNAME"`, 34, "variable expansion"},
		{`Invoke-WebRequest -Uri https://a/ -Headers @{ "X" = "$(Get-Content secret)" }`, 53, "variable expansion"},
		{`Invoke-WebRequest -Uri https://a/ -Headers @{ "X" = "a${token}" }`, 54, "variable expansion"},
		{`Invoke-WebRequest -Uri https://a/ -Headers @{ X = $token }`, 50, "variable expansion"},
		{`Invoke-WebRequest -Uri https://a/ -Body $body`, 40, "variable expansion"},
		{"Invoke-WebRequest -Uri https://a/\nRemove-Item x", 34, "only DevTools' $session lines and one Invoke-WebRequest"},
		{`Invoke-WebRequest -Uri https://a/ -Headers @{ "x-a" = "a$([char]27)b" }`, 46, "the value of x-a holds a control character (0x1b)"},
		{"Invoke-WebRequest -Uri https://a/ -Headers @{ \"x-a\" = \"a`r`nX-B: 1\" }", 46, "the value of x-a holds a control character (0x0d)"},
		{"Invoke-WebRequest -Uri https://a/ -ContentType \"text/`nplain\"", 47, "the value of Content-Type holds a control character (0x0a)"},
		// A session cookie becomes the Cookie header: checked as one.
		{"$session.Cookies.Add((New-Object System.Net.Cookie(\"sid\", \"s3cr3t`a\", \"/\", \"a\")))\nInvoke-WebRequest -Uri https://a/ -WebSession $session", 58, "the value of Cookie holds a control character (0x07)"},
	}
	for _, tt := range tests {
		_, err := ParsePowerShell(tt.text)
		var e *Error
		if !errors.As(err, &e) || e.Offset != tt.offset || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "PowerShell command, byte ") {
			t.Errorf("ParsePowerShell(%q) = %v; want PowerShell command, byte %d: …%s", tt.text, err, tt.offset, tt.want)
		}
	}
}

func FuzzParsePowerShell(f *testing.F) {
	addDevtoolsSeeds(f, "powershell")
	for _, s := range []string{chromePowerShell, firefoxPowerShell, singleQuoted, "iwr x -Headers @{a=b;c='d'}", "\"`", "@{", "iwr x -Body \"$([char]55357)$([char]56832)$([char]55357)\""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParsePowerShell(s)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Offset < 0 || e.Offset > len(s) {
				t.Fatalf("%q: error %v has no offset inside the text", s, err)
			}
			return
		}
		if c.URL == "" || c.Header == nil {
			t.Fatalf("%q: incomplete command %+v", s, c)
		}
	})
}

// TestPowerShellCharUnits: Chrome's "Copy as PowerShell" writes each UTF-16
// unit outside printable ASCII as $([char]N) (its escapeString has no u
// flag), so a character outside the BMP is two [char] that PowerShell joins
// into one string: the pair reads back as that character. A lone surrogate
// is what .NET's UTF-8 encoder makes of it (U+FFFD); [char] holds one unit,
// so PowerShell refuses N over 65535, and so does corsdiag.
func TestPowerShellCharUnits(t *testing.T) {
	body := func(escaped string) string {
		return "Invoke-WebRequest -UseBasicParsing -Uri \"https://a/\" `\n-Method \"POST\" `\n-Body ([System.Text.Encoding]::UTF8.GetBytes(\"" + escaped + "\"))"
	}
	for _, tt := range []struct{ escaped, want string }{
		{"caf$([char]233)", "café"},
		{"a$([char]55357)$([char]56832)b", "a😀b"},
		{"$([char]55357)x", "\uFFFDx"},
		{"$([char]56832)$([char]55357)", "\uFFFD\uFFFD"},
	} {
		c, err := ParsePowerShell(body(tt.escaped))
		if err != nil {
			t.Fatalf("%s: %v", tt.escaped, err)
		}
		if string(c.Body) != tt.want {
			t.Errorf("%s: body %q, want %q", tt.escaped, c.Body, tt.want)
		}
	}
	if _, err := ParsePowerShell(body("$([char]128512)")); err == nil || !strings.Contains(err.Error(), "65535") {
		t.Errorf("[char]128512: %v, want an error naming 65535", err)
	}
}
