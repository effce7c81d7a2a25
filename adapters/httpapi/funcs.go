package httpapi

import (
	"html/template"
	"net/url"
	"strings"
	"time"

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
		"pick":      pick,
		"checked":   func(v *view, name string) bool { return isChecked(v.Form[name]) },
		"on":        isChecked,
		"when":      func(t time.Time) string { return formatWhen(l, t) },
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
	ReadOnly     bool     // shown, not editable (checkboxes are disabled)
	Conditional  bool     // needed only for one choice of the form; its hint says which
	InputMode    string   // the keyboard phones show ("numeric")
	MaxLength    int      // the most characters the browser lets in; 0 for no limit
	Options      []option // for selects
	// Empty is the catalogue key of a select's empty option ("form.choose"
	// unless given): filters say "all" there.
	Empty string
}

// field describes input name of the form in v; label and error texts come
// from the catalogue ("field.<name>"). Options after autocomplete:
// "optional", "conditional", "readonly", "label:<key>" for another label, "inputmode:<mode>",
// "maxlength:<n>", "empty:<key>" (selects), or a hint key ("hint.password").
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
		case o == "conditional":
			f.Required, f.Conditional = false, true
		case o == "readonly":
			f.ReadOnly = true
		case strings.HasPrefix(o, "inputmode:"):
			f.InputMode = strings.TrimPrefix(o, "inputmode:")
		case strings.HasPrefix(o, "label:"):
			f.Label = strings.TrimPrefix(o, "label:")
		case strings.HasPrefix(o, "empty:"):
			f.Empty = strings.TrimPrefix(o, "empty:")
		case strings.HasPrefix(o, "maxlength:"):
			f.MaxLength = atoi(strings.TrimPrefix(o, "maxlength:"))
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
	Text     string // shown as it is instead of Label (names, not catalogue texts)
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

// pick describes select name of the form in v whose options are given as
// they are (Text) or as catalogue keys (Label), marking the user's choice;
// flags as for field, and "empty:<key>" names the empty option ("all" in a
// filter).
func pick(v *view, name string, opts []option, flags ...string) fieldView {
	f := field(v, name, "select", "", flags...)
	for _, o := range opts {
		o.Selected = v.Form[name] == o.Value
		f.Options = append(f.Options, o)
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
