package consoletext

import (
	"bufio"
	"embed"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Firefox writes its console lines in the language of its interface; the
// other browsers write theirs in English. Its translations are the
// security.properties of mozilla-l10n/firefox-l10n (one file a locale,
// the CORS keys alone, verbatim), and en-US.properties is Firefox's own:
// a line read in a translation is written again in English, with the same
// particulars, and read as English.
//
//go:embed l10n/firefox/*.properties
var firefoxL10n embed.FS

// translation is one localized string compiled: the text of keys in
// locales (es-ES and es-MX share most; Persian writes one line for an
// invalid Allow-Methods and Allow-Headers token alike).
type translation struct {
	text          string
	locales, keys []string
	re            *regexp.Regexp
	// args[i] is the placeholder number of capture group i+1.
	args []int
}

var (
	// english is en-US.properties: key → string with %N$S placeholders.
	english map[string]string
	// englishLines are its strings filled in, to tell a translation that
	// is English (a locale not translated, or an old wording) from one
	// that is not.
	englishLines []string
	// translations by the literal text before their first placeholder:
	// most lines hold none of them, and are passed over by Contains.
	translations map[string]*leadGroup
	leads        []string
)

// leadGroup is the translations of one lead, compiled when a line first
// holds the lead: most pastes are English, and compiling every locale's
// patterns up front was most of explain's start-up.
type leadGroup struct {
	once sync.Once
	ts   []translation
}

// compiled is the group's translations with their patterns, those that
// read an English line left out.
func (g *leadGroup) compiled() []translation {
	g.once.Do(func() {
		kept := g.ts[:0]
		for _, t := range g.ts {
			compileTranslation(&t)
			if slices.ContainsFunc(englishLines, t.re.MatchString) {
				continue
			}
			kept = append(kept, t)
		}
		g.ts = kept
	})
	return g.ts
}

// unescapeU is a properties file's \uXXXX escape (zh-CN ends a line in
// \u0020).
var unescapeU = regexp.MustCompile(`\\u[0-9a-fA-F]{4}`)

// placeholder is %S or %N$S in a properties string.
var placeholder = regexp.MustCompile(`%(?:([1-9])\$)?S`)

func buildL10n() {
	translations = map[string]*leadGroup{}
	files, err := firefoxL10n.ReadDir("l10n/firefox")
	if err != nil {
		panic(err) // embedded: a build that lost the files is broken
	}
	english = properties("en-US")
	englishLines = nil
	for key, en := range english {
		englishLines = append(englishLines, normalize(fill(en, func(int) string { return "https://a.example/" + key })))
	}
	byText := map[string]*translation{}
	var texts []string
	for _, f := range files {
		locale := strings.TrimSuffix(f.Name(), ".properties")
		if locale == "en-US" {
			continue
		}
		for _, p := range readProperties(locale) {
			key, s := p.key, p.value
			if _, ok := english[key]; !ok {
				continue // a key Firefox no longer has
			}
			s = normalize(s)
			t := byText[s]
			if t == nil {
				t = &translation{text: s}
				byText[s] = t
				texts = append(texts, s)
			}
			t.locales = appendNew(t.locales, locale)
			t.keys = appendNew(t.keys, key)
		}
	}
	sort.Strings(texts)
	for _, s := range texts {
		t := byText[s]
		sort.Strings(t.locales)
		sort.Strings(t.keys)
		lead := leadOf(s)
		g := translations[lead]
		if g == nil {
			g = &leadGroup{}
			translations[lead] = g
			leads = append(leads, lead)
		}
		g.ts = append(g.ts, *t)
	}
	// Longest lead first: one answer for one text.
	sort.Slice(leads, func(i, j int) bool {
		if len(leads[i]) != len(leads[j]) {
			return len(leads[i]) > len(leads[j])
		}
		return leads[i] < leads[j]
	})
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// fill replaces a properties string's placeholders by arg(N).
func fill(s string, arg func(n int) string) string {
	return placeholder.ReplaceAllStringFunc(s, func(p string) string {
		n := 1
		if m := placeholder.FindStringSubmatch(p); m[1] != "" {
			n, _ = strconv.Atoi(m[1])
		}
		return arg(n)
	})
}

// property is one KEY=value line.
type property struct{ key, value string }

// properties is readProperties as a map: the last line of a key wins.
func properties(locale string) map[string]string {
	out := map[string]string{}
	for _, p := range readProperties(locale) {
		out[p.key] = p.value
	}
	return out
}

// readProperties reads the embedded file of a locale: KEY=value lines,
// spaces around '=' ignored, '#' lines comments. A key may come more than
// once: the wording of an older Firefox, and today's.
func readProperties(locale string) []property {
	f, err := firefoxL10n.Open(path.Join("l10n/firefox", locale+".properties"))
	if err != nil {
		panic(err)
	}
	defer f.Close()
	var out []property
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		if !ok {
			panic("consoletext: " + locale + ".properties: not KEY=value: " + line)
		}
		out = append(out, property{strings.TrimSpace(key), strings.TrimSpace(unescapeU.ReplaceAllStringFunc(value, func(e string) string {
			r, _ := strconv.ParseUint(e[2:], 16, 32)
			return string(rune(r))
		}))})
	}
	return out
}

// leadOf is a translation's lead: the words before its first
// placeholder, or all of it.
func leadOf(text string) string {
	if m := placeholder.FindStringIndex(text); m != nil {
		return text[:m[0]]
	}
	return text
}

// compileTranslation makes t's text a pattern: its words literal, each
// placeholder a lazy group.
func compileTranslation(t *translation) {
	s := t.text
	var b strings.Builder
	last := 0
	for _, m := range placeholder.FindAllStringSubmatchIndex(s, -1) {
		b.WriteString(regexp.QuoteMeta(s[last:m[0]]))
		n := 1
		if m[2] >= 0 {
			n, _ = strconv.Atoi(s[m[2]:m[3]])
		}
		t.args = append(t.args, n)
		b.WriteString(`(.+?)`)
		last = m[1]
	}
	b.WriteString(regexp.QuoteMeta(s[last:]))
	if last == len(s) && last > 0 {
		b.WriteString(`(?:\s|$)`)
	}
	t.re = regexp.MustCompile(b.String())
}

// toEnglish writes the lines of normalized text that read as a Firefox
// translation in English, and says the locale of the first.
func toEnglish(text string) (string, string) {
	locale := ""
	lines := strings.Split(text, "\n")
	for i, line := range lines {
		for _, lead := range leads {
			if !strings.Contains(line, lead) {
				continue
			}
			if en, loc, ok := translateLine(line, translations[lead].compiled()); ok {
				lines[i] = en
				if locale == "" {
					locale = loc
				}
				break
			}
		}
	}
	if locale == "" {
		return text, ""
	}
	return strings.Join(lines, "\n"), locale
}

// translateLine is line in English, one English line for each key the
// first translation that reads it stands for, and that translation's
// locales.
func translateLine(line string, ts []translation) (string, string, bool) {
	for _, t := range ts {
		sub := t.re.FindStringSubmatch(line)
		if sub == nil {
			continue
		}
		vals := map[int]string{}
		for i, n := range t.args {
			vals[n] = sub[i+1]
		}
		var lines []string
		for _, key := range t.keys {
			lines = append(lines, normalize(fill(english[key], func(n int) string { return vals[n] })))
		}
		return strings.Join(lines, "\n"), strings.Join(t.locales, ", "), true
	}
	return "", "", false
}
