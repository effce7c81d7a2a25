package consultation_test

import (
	"regexp"
	"testing"
	"time"

	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
)

var start = time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC) // the night clocks go forward in Germany

func planned(t *testing.T) consultation.Consultation {
	t.Helper()
	c, err := consultation.New("p1", "m1", start, 20*time.Minute, start.Add(-24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestNewInvitationStoresOnlyHashes(t *testing.T) {
	c := planned(t)
	link, tan, inv := consultation.NewInvitation(c, "gast@example.org", "Frau Gast", start)
	if !regexp.MustCompile(`^[0-9]{8}$`).MatchString(tan) {
		t.Errorf("TAN %q is not 8 digits", tan)
	}
	if len(link) < 22 { // 128 bits in base64url
		t.Errorf("link secret %q is shorter than 128 bits", link)
	}
	if inv.LinkHash() != identity.HashSecret(link) || inv.TANHash() == tan || inv.TANHash() == identity.HashSecret(tan) {
		t.Error("only salted hashes may be stored")
	}
	_, tan2, _ := consultation.NewInvitation(c, "gast@example.org", "", start)
	_, tan3, _ := consultation.NewInvitation(c, "gast@example.org", "", start)
	if tan == tan2 && tan2 == tan3 {
		t.Error("TANs must be random")
	}
}

func TestRedeemWindow(t *testing.T) {
	c := planned(t)
	cases := []struct {
		name string
		at   time.Time
		code errs.Code
		key  string
	}{
		{"31 minutes early", start.Add(-31 * time.Minute), errs.Forbidden, "tan.too_early"},
		{"30 minutes early", start.Add(-30 * time.Minute), "", ""},
		{"during", start.Add(10 * time.Minute), "", ""},
		{"at the planned end", start.Add(20 * time.Minute), errs.Gone, "tan.expired"},
		{"a day later", start.Add(24 * time.Hour), errs.Gone, "tan.expired"},
	}
	for _, tc := range cases {
		link, tan, inv := consultation.NewInvitation(c, "g@example.org", "", start)
		err := inv.Redeem(link, tan, c, consultation.DefaultWindow, tc.at)
		if got := errs.CodeOf(err); got != tc.code {
			t.Errorf("%s: %v, want %q %s", tc.name, err, tc.code, tc.key)
		}
		if e, ok := errs.As(err); ok && e.Key != tc.key {
			t.Errorf("%s: key %q, want %q", tc.name, e.Key, tc.key)
		}
		if tc.code == "" && inv.UsedAt().IsZero() {
			t.Errorf("%s: a redeemed TAN must be marked used", tc.name)
		}
	}
}

func TestRedeemIsSingleUseAndDiesAfterFiveWrongTries(t *testing.T) {
	c := planned(t)
	at := start.Add(-time.Minute)
	link, tan, inv := consultation.NewInvitation(c, "g@example.org", "", start)
	wrong := "00000000"
	if wrong == tan {
		wrong = "11111111"
	}
	for i := 1; i < consultation.MaxTANFailures; i++ {
		if err := inv.Redeem(link, wrong, c, consultation.DefaultWindow, at); errs.CodeOf(err) != errs.Unauthenticated {
			t.Fatalf("wrong try %d: %v", i, err)
		}
	}
	if err := inv.Redeem(link, tan[:4]+" "+tan[4:], c, consultation.DefaultWindow, at); err != nil {
		t.Fatalf("the right TAN (typed with a space) after four wrong ones must work: %v", err)
	}
	if err := inv.Redeem(link, tan, c, consultation.DefaultWindow, at); errs.CodeOf(err) != errs.Gone {
		t.Fatalf("a used TAN must not work again: %v", err)
	}

	link, tan, inv = consultation.NewInvitation(c, "g@example.org", "", start)
	for i := 1; i <= consultation.MaxTANFailures; i++ {
		err := inv.Redeem(link, wrong, c, consultation.DefaultWindow, at)
		if i == consultation.MaxTANFailures && errs.CodeOf(err) != errs.Gone {
			t.Fatalf("the fifth wrong TAN must lock: %v", err)
		}
	}
	if err := inv.Redeem(link, tan, c, consultation.DefaultWindow, at); errs.CodeOf(err) != errs.Gone || inv.Failures() != consultation.MaxTANFailures {
		t.Fatalf("after five wrong tries even the right TAN fails: %v (failures %d)", err, inv.Failures())
	}
	other, _, _ := consultation.NewInvitation(c, "g@example.org", "", start)
	_, tan4, inv4 := consultation.NewInvitation(c, "g@example.org", "", start)
	if err := inv4.Redeem(other, tan4, c, consultation.DefaultWindow, at); errs.CodeOf(err) != errs.Unauthenticated {
		t.Fatalf("a TAN with another invitation's link must fail: %v", err)
	}
}

func TestNewConsultationValidates(t *testing.T) {
	now := start.Add(-time.Hour)
	_, err := consultation.New("p1", "", start.Add(-2*time.Hour), time.Minute, now)
	e, _ := errs.As(err)
	if e == nil || len(e.Fields) != 3 {
		t.Fatalf("want start, length and practitioner errors, got %v", err)
	}
	c := planned(t)
	if !c.End().Equal(start.Add(20*time.Minute)) || c.State() != consultation.StateScheduled {
		t.Fatalf("end %v state %s", c.End(), c.State())
	}
}

func TestRedeemRefusesWhenTheConsultationIsOver(t *testing.T) {
	c := planned(t)
	link, tan, inv := consultation.NewInvitation(c, "g@example.org", "", start)
	if err := c.Cancel(start.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := inv.Redeem(link, tan, c, consultation.DefaultWindow, start.Add(-time.Minute)); errs.CodeOf(err) != errs.Gone || inv.Failures() != 0 {
		t.Fatalf("TAN of a cancelled consultation: %v", err)
	}
}

func TestRenewReplacesLinkAndTAN(t *testing.T) {
	c := planned(t)
	link, tan, inv := consultation.NewInvitation(c, "gast@example.org", "Frau Gast", start)
	w := consultation.Window{Before: 30 * time.Minute}
	if err := inv.Redeem(link, "00000000", c, w, start); err == nil {
		t.Fatal("a wrong TAN was accepted")
	}
	if err := inv.Redeem(link, tan, c, w, start); err != nil {
		t.Fatal(err)
	}
	id := inv.ID()
	link2, tan2 := inv.Renew()
	if inv.ID() != id || link2 == link || inv.LinkHash() != identity.HashSecret(link2) || !inv.UsedAt().IsZero() || inv.Failures() != 0 {
		t.Fatalf("renewed invitation: id %s used %v failures %d", inv.ID(), inv.UsedAt(), inv.Failures())
	}
	if err := inv.Redeem(link, tan, c, w, start); err == nil {
		t.Error("the old link and TAN work after the renewal")
	}
	if err := inv.Redeem(link2, tan2, c, w, start); err != nil {
		t.Errorf("the new link and TAN: %v", err)
	}
}
