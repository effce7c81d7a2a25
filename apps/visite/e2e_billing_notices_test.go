package main

import (
	"net/http"
	"strings"
	"testing"
)

// TestE2EBillingNoticesAndSeatsDown: a practitioner deactivated lowers the
// paid seats at the period's end through the job queue (dev billing); a
// failed payment shows the owner's banner, and after the grace period
// every member of the staff gets the read-only notice.
func TestE2EBillingNoticesAndSeatsDown(t *testing.T) {
	p := startPlatform(t, nil)
	const practice = "Praxis Hinweise" // also in the SQL below: no quote in it
	owner := newOwner(t, p, "inhaberin@praxis-hinweise.test", practice)
	doctor, _ := invite(t, p, owner, "arzt@praxis-hinweise.test", "practitioner")
	_, token := invite(t, p, owner, "empfang@praxis-hinweise.test", "assistant")
	assistant := accept(t, p, token)
	contains(t, "billing page with both seats taken", owner.get("/app/billing").Body, "2 bezahlt")

	expectStatus(t, "deactivate the practitioner", owner.api(http.MethodPost, "/api/v1/staff/"+doctor+"/deactivate", nil),
		http.StatusOK)
	eventually(t, "seats lowered by the job", func() bool {
		return p.count(`SELECT count(*) FROM practice_billing b JOIN practices p ON p.id = b.practice_id
			WHERE p.name = '`+practice+`' AND b.seats = 1`) == 1
	})
	contains(t, "billing page after the seat job", owner.get("/app/billing").Body, "1 bezahlt")

	p.exec(`UPDATE practice_billing SET status = 'past_due', past_due_since = now() - interval '1 hour'
		WHERE practice_id = (SELECT id FROM practices WHERE name = '` + practice + `')`)
	contains(t, "owner's dashboard while past due", owner.get("/app").Body, `id="billing-notice"`,
		"Die letzte Zahlung für Ihr Abonnement ist fehlgeschlagen", `href="/app/billing"`)
	if strings.Contains(assistant.get("/app").Body, `id="billing-notice"`) {
		t.Error("the assistant sees the owner's banner")
	}

	p.exec(`UPDATE practice_billing SET past_due_since = now() - interval '15 days'
		WHERE practice_id = (SELECT id FROM practices WHERE name = '` + practice + `')`)
	contains(t, "assistant's dashboard when suspended", assistant.get("/app").Body,
		"Eine Zahlung Ihrer Praxis steht aus", "Bei Fragen wenden Sie sich bitte an die Inhaberin oder den Inhaber")
	contains(t, "owner's dashboard when suspended", owner.get("/app").Body,
		"Bitte prüfen Sie Ihre Zahlungsart.", "Zur Abrechnung")
}
