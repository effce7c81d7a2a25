package httpapi

import (
	"html/template"
	"net/url"
	"strings"

	"github.com/visite-health/visite/core/lang"
)

// funcsFor returns the template functions bound to one language.
func funcsFor(l lang.Lang, st *assets) template.FuncMap {
	return template.FuncMap{
		// t translates a catalogue key: {{t "login.title"}}, with optional
		// placeholder pairs: {{t "staff.deactivate.question" "name" .Name}}.
		"t":         func(key string, args ...string) string { return tr(l, key, args...) },
		"asset":     st.url,
		"field":     field,
		"choice":    choice,
		"checked":   func(v *view, name string) bool { return isChecked(v.Form[name]) },
		"langLink":  langLink,
		"languages": func() []lang.Lang { return languages },
	}
}

// fieldView describes one input for the "input" partial.
type fieldView struct {
	Name         string
	Label        string // catalogue key, "field.<name>" unless given
	ID           string
	Type         string
	Value        string
	Error        string
	Autocomplete string
	Hint         string // a catalogue key, "" for none
	Required     bool
	Options      []option // for selects
}

// field describes input name of the form in v; label and error texts come
// from the catalogue ("field.<name>"). Options after autocomplete:
// "optional", "label:<key>" for another label, or a hint key ("hint.password").
func field(v *view, name, typ, autocomplete string, opts ...string) fieldView {
	f := fieldView{Name: name, Label: "field." + name, ID: "f-" + name, Type: typ, Value: v.Form[name],
		Error: v.Errors[name], Autocomplete: autocomplete, Required: true}
	if typ == "password" {
		f.Value = ""
	}
	for _, o := range opts {
		switch {
		case o == "optional":
			f.Required = false
		case strings.HasPrefix(o, "label:"):
			f.Label = strings.TrimPrefix(o, "label:")
		default:
			f.Hint = o
		}
	}
	return f
}

// option is one <option> of a select.
type option struct {
	Value    string
	Label    string // catalogue key
	Selected bool
}

// choice describes select name of the form in v with value/label-key pairs
// as options, marking the user's choice.
func choice(v *view, name string, pairs ...string) fieldView {
	f := fieldView{Name: name, Label: "field." + name, ID: "f-" + name, Type: "select", Value: v.Form[name], Error: v.Errors[name], Required: true}
	for i := 0; i+1 < len(pairs); i += 2 {
		f.Options = append(f.Options, option{Value: pairs[i], Label: pairs[i+1], Selected: v.Form[name] == pairs[i]})
	}
	return f
}

// isChecked reads a checkbox value as browsers and API clients send it.
func isChecked(s string) bool {
	switch s {
	case "on", "true", "1", "yes":
		return true
	}
	return false
}

// langLink is the language switch's address for language l on page next.
func langLink(l lang.Lang, next string) string {
	return "/lang?l=" + url.QueryEscape(string(l)) + "&next=" + url.QueryEscape(next)
}
