package consoletext

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/corsdiag/corsdiag/pkg/cors"
)

// second is what %2$S stands for in each key's line, as Firefox fills it.
var second = map[string]string{
	"CORSDidNotSucceed2":                   "(null)",
	"CORSMissingAllowOrigin2":              "403",
	"CORSPreflightDidNotSucceed3":          "403",
	"CORSAllowOriginNotMatchingOrigin":     "https://other.example",
	"CORSInvalidAllowMethod":               "a b",
	"CORSInvalidAllowHeader":               "a b",
	"CORSMissingAllowHeaderFromPreflight2": "x-custom",
}

const sampleURL = "https://api.example.com/v1/items?page=2"

// render fills a properties string's placeholders as Firefox does.
func render(s, key string) string {
	return placeholder.ReplaceAllStringFunc(s, func(p string) string {
		if strings.HasPrefix(p, "%2") {
			return second[key]
		}
		return sampleURL
	})
}

// Firefox's English lines, as en-US.properties has them, are the lines of
// the Firefox profile: the translations are read back into the profile's
// own words.
func TestEnglishIsTheProfiles(t *testing.T) {
	once.Do(build)
	profile := map[string]bool{}
	for _, tp := range cors.Firefox.Templates() {
		line := strings.NewReplacer("{url}", sampleURL, "{request}", sampleURL, "{param}", "P", "{status}", "403").Replace(tp.Text)
		profile[normalize(line)] = true
	}
	for key, en := range english {
		line := placeholder.ReplaceAllStringFunc(en, func(p string) string {
			if !strings.HasPrefix(p, "%2") {
				return sampleURL
			}
			switch second[key] {
			case "(null)":
				return "(null)"
			case "403":
				return "403"
			}
			return "P"
		})
		if !profile[normalize(line)] && key != "CORSDisabled" && key != "CORSOriginHeaderNotAdded" {
			t.Errorf("%s: en-US.properties has %q, which no Firefox template writes", key, line)
		}
	}
}

// Every translated line reads as its English line does: the same browser,
// codes, URL, status and parameter, and the locales it was written in. A
// text several keys share reads as all their English lines: the codes of
// each are candidates.
func TestTranslationsReadAsEnglish(t *testing.T) {
	once.Do(build)
	locales := map[string]bool{}
	for _, g := range translations {
		for _, tr := range g.compiled() {
			for _, l := range tr.locales {
				locales[l] = true
			}
			line := render(tr.text, tr.keys[0])
			var en []string
			for _, k := range tr.keys {
				en = append(en, render(english[k], k))
			}
			want, wantErr := Read(strings.Join(en, "\n"))
			got, err := Read(line)
			if (err != nil) != (wantErr != nil) {
				t.Errorf("%v %v: %q: error %v, English %v", tr.locales, tr.keys, line, err, wantErr)
				continue
			}
			if err != nil {
				continue // a key the English reader knows no line of (CORSDisabled)
			}
			if got.Locale != strings.Join(tr.locales, ", ") {
				t.Errorf("%v %v: %q read as locale %q", tr.locales, tr.keys, line, got.Locale)
			}
			got.Locale = ""
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%v %v: %q\nread  %+v\nwant  %+v", tr.locales, tr.keys, line, got, want)
			}
		}
	}
	if len(locales) < 20 {
		t.Errorf("translations of %d locales, want at least 20: %v", len(locales), locales)
	}
}

// No English line reads as a translation: locales that left a key in
// English, or in an older English wording, are not translations of it.
func TestEnglishReadsAsEnglish(t *testing.T) {
	once.Do(build)
	for key, en := range english {
		r, err := Read(render(en, key))
		if err == nil && r.Locale != "" {
			t.Errorf("%s: English read as locale %q", key, r.Locale)
		}
	}
}

// Persian Firefox names Access-Control-Allow-Methods in its line about an
// invalid Allow-Headers token too: the line reads as either.
func TestSharedTranslation(t *testing.T) {
	once.Do(build)
	fa := properties("fa")
	r, err := Read(render(fa["CORSInvalidAllowHeader"], "CORSInvalidAllowHeader"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Locale != "fa" || !slices.Contains(r.Candidates, cors.CodeInvalidAllowHeaders) || !slices.Contains(r.Candidates, cors.CodeInvalidAllowMethods) {
		t.Errorf("read %+v, want locale fa and both invalid-allow-* codes", r)
	}
}

// A paste of several lines in one locale reads as the same lines in
// English: Firefox's cause line, then "CORS request did not succeed" after
// a failed preflight; and a German line wrapped by a chat tool.
func TestReadTranslated(t *testing.T) {
	once.Do(build)
	de := properties("de")
	lines := func(props map[string]string, keys ...string) string {
		var out []string
		for _, k := range keys {
			out = append(out, render(props[k], k))
		}
		return strings.Join(out, "\n")
	}
	for _, tc := range []struct {
		name     string
		german   string
		english  string
		wantCode cors.Code
	}{
		{"one line", lines(de, "CORSMissingAllowOrigin2"), lines(english, "CORSMissingAllowOrigin2"), cors.CodeMissingAllowOrigin},
		{"after a failed preflight", lines(de, "CORSMissingAllowOrigin2", "CORSDidNotSucceed2"), lines(english, "CORSMissingAllowOrigin2", "CORSDidNotSucceed2"), cors.CodePreflightMissingAllowOrigin},
		{"wrapped", strings.Replace(lines(de, "CORSMissingAllowHeaderFromPreflight2"), " der externen ", "\nder externen ", 1), lines(english, "CORSMissingAllowHeaderFromPreflight2"), cors.CodeHeaderNotAllowed},
	} {
		got, err := Read(tc.german)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		want, err := Read(tc.english)
		if err != nil {
			t.Fatalf("%s: English: %v", tc.name, err)
		}
		if got.Locale != "de" || got.Code != tc.wantCode {
			t.Errorf("%s: locale %q code %q, want de %q", tc.name, got.Locale, got.Code, tc.wantCode)
		}
		got.Locale = ""
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\nread %+v\nwant %+v", tc.name, got, want)
		}
	}
	if r, err := Read(lines(english, "CORSMissingAllowOrigin2")); err != nil || r.Locale != "" {
		t.Errorf("English read as locale %q (%v)", r.Locale, err)
	}
}
