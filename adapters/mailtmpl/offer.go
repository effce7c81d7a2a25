package mailtmpl

import (
	"fmt"
	"strconv"

	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/sales"
)

// offerWords are the words of an offer's terms, per language.
var offerWords = map[lang.Lang]struct {
	monthly, yearly, checkout, invoice string
}{
	lang.De: {monthly: "pro Monat", yearly: "pro Jahr", checkout: "per Karte oder SEPA-Lastschrift",
		invoice: "auf Rechnung (Überweisung)"},
	lang.En: {monthly: "per month", yearly: "per year", checkout: "by card or SEPA Direct Debit",
		invoice: "by invoice (bank transfer)"},
}

// prepareSalesOffer checks the offer's terms and adds their words:
// practice_type_name, unit_net_text (the net price per seat, "28,90 €"),
// interval_text, payment_text, trial_text ("" without a trial) and
// valid_until_text (the last day).
func prepareSalesOffer(l lang.Lang, view map[string]string) error {
	name, ok := practiceTypeNames[l][practice.Type(view["practice_type"])]
	if !ok {
		return fmt.Errorf("data key %q: %w", "practice_type", ErrBadData)
	}
	seats, err := strconv.Atoi(view["seats"])
	if err != nil || seats < 1 || seats > sales.MaxSeats {
		return fmt.Errorf("data key %q: %w", "seats", ErrBadData)
	}
	cents, err := strconv.ParseInt(view["unit_net_cents"], 10, 64)
	if err != nil || cents < 0 {
		return fmt.Errorf("data key %q: %w", "unit_net_cents", ErrBadData)
	}
	trial, err := strconv.Atoi(view["trial_days"])
	if err != nil || trial < 0 {
		return fmt.Errorf("data key %q: %w", "trial_days", ErrBadData)
	}
	w := offerWords[l]
	switch view["interval"] {
	case "monthly":
		view["interval_text"] = w.monthly
	case "yearly":
		view["interval_text"] = w.yearly
	default:
		return fmt.Errorf("data key %q: %w", "interval", ErrBadData)
	}
	switch sales.Payment(view["payment"]) {
	case sales.PaymentCheckout:
		view["payment_text"] = w.checkout
	case sales.PaymentInvoice:
		view["payment_text"] = w.invoice
	default:
		return fmt.Errorf("data key %q: %w", "payment", ErrBadData)
	}
	view["practice_type_name"] = name
	view["unit_net_text"] = euros(l, cents)
	view["trial_text"] = ""
	if trial > 0 {
		view["trial_text"] = strconv.Itoa(trial)
	}
	return addDay(l, view, "valid_until")
}

// euros writes cents as "28,90 €" (German) or "€28.90" (English).
func euros(l lang.Lang, cents int64) string {
	whole, frac := strconv.FormatInt(cents/100, 10), fmt.Sprintf("%02d", cents%100)
	if l == lang.En {
		return "€" + whole + "." + frac
	}
	return whole + "," + frac + "\u00a0€"
}
