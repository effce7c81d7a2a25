package mailtmpl

import (
	"fmt"
	"strconv"

	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/sales"
)

// practiceTypeNames names the practice types in the sales team's email.
var practiceTypeNames = map[lang.Lang]map[practice.Type]string{
	lang.De: {practice.TypeSingle: "Einzelpraxis", practice.TypeGroup: "Gemeinschaftspraxis",
		practice.TypeClinic: "MVZ/Klinik", practice.TypeTherapy: "Therapiepraxis"},
	lang.En: {practice.TypeSingle: "single practice", practice.TypeGroup: "group practice",
		practice.TypeClinic: "medical care centre/clinic", practice.TypeTherapy: "therapy practice"},
}

// prepareSalesLead checks practice_type and practitioners and adds
// practice_type_name, the type in words.
func prepareSalesLead(l lang.Lang, view map[string]string) error {
	name, ok := practiceTypeNames[l][practice.Type(view["practice_type"])]
	if !ok {
		return fmt.Errorf("data key %q: %w", "practice_type", ErrBadData)
	}
	if n, err := strconv.Atoi(view["practitioners"]); err != nil || n < 1 || n > sales.MaxPractitioners {
		return fmt.Errorf("data key %q: %w", "practitioners", ErrBadData)
	}
	view["practice_type_name"] = name
	return nil
}
