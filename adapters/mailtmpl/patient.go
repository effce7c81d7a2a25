package mailtmpl

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Berlin must load on hosts without a zoneinfo database

	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/patient"
)

// zone is the time zone every time in an email is shown in: practices and
// their appointments are in Germany.
const zone = "Europe/Berlin"

// berlin is zone, loaded once; New fails when it did not load.
var berlin, berlinErr = time.LoadLocation(zone)

// OpensBeforeKey is an optional TanInvitation Data key: how many minutes
// before the start the TAN starts to work, when the deployment configures a
// window other than consultation.DefaultWindow.
const OpensBeforeKey = "opens_before"

// preparePatientConfirm checks by_practice and words the link's lifetime:
// a patient registered by the practice has InitialPasswordTTL to confirm,
// a self-registered one PatientConfirmTTL.
func preparePatientConfirm(l lang.Lang, view map[string]string) error {
	ttl := identity.PatientConfirmTTL
	switch view["by_practice"] {
	case "":
		view["by_practice"] = "" // present for {{if}} under missingkey=error
	case "yes":
		ttl = patient.InitialPasswordTTL
	default:
		return fmt.Errorf("data key %q: %w", "by_practice", ErrBadData)
	}
	view["valid_for"] = duration(l, ttl)
	return nil
}

// prepareTanInvitation checks start, minutes, tan and the optional
// opens_before, role and note, and adds start_text (the start in
// Europe/Berlin in words), minutes_text, tan_text (the TAN in groups of
// four), opens_text and role_text (the extra participant's role in a
// sentence, "" for the patient).
func prepareTanInvitation(l lang.Lang, view map[string]string) error {
	if err := prepareAppointment(l, view); err != nil {
		return err
	}
	tan, ok := groupTAN(view["tan"])
	if !ok {
		return fmt.Errorf("data key %q: %w", "tan", ErrBadData)
	}
	opens := int(consultation.DefaultWindow.Before / time.Minute)
	if v, set := view[OpensBeforeKey]; set {
		var err error
		if opens, err = strconv.Atoi(strings.TrimSpace(v)); err != nil || opens < 0 {
			return fmt.Errorf("data key %q: %w", OpensBeforeKey, ErrBadData)
		}
	}
	role, ok := participantRoles[l][consultation.Role(strings.TrimSpace(view["role"]))]
	if !ok {
		return fmt.Errorf("data key %q: %w", "role", ErrBadData)
	}
	view["opens_text"] = countMinutes(l, opens)
	view["tan_text"] = tan
	view["role_text"] = role
	return nil
}

// participantRoles words why a guest is invited; the patient (no role, or
// the guest role) gets no sentence.
var participantRoles = map[lang.Lang]map[consultation.Role]string{
	lang.De: {"": "", consultation.RoleGuest: "",
		consultation.RoleInterpreter: "Sie sind als Dolmetscher:in eingeladen.",
		consultation.RoleRelative:    "Sie sind als Angehörige:r eingeladen.",
		consultation.RoleCare:        "Sie sind als Pflege- oder Betreuungsperson eingeladen."},
	lang.En: {"": "", consultation.RoleGuest: "",
		consultation.RoleInterpreter: "You are invited as an interpreter.",
		consultation.RoleRelative:    "You are invited as a relative.",
		consultation.RoleCare:        "You are invited as a carer."},
}

// formatTime shows t in Europe/Berlin the way Visite writes times for
// people: "Di., 3. März, 14:30 Uhr" in German, "Tue, 3 March, 2:30 pm" in
// English (any other language gets German). German hours have two digits
// ("09:05 Uhr"), as on the web pages.
func formatTime(l lang.Lang, t time.Time) string {
	t = t.In(berlin)
	if l == lang.En {
		return t.Format("Mon, 2 January, 3:04 pm")
	}
	return fmt.Sprintf("%s, %d. %s, %s Uhr",
		germanWeekdays[t.Weekday()], t.Day(), germanMonths[t.Month()-1], t.Format("15:04"))
}

var (
	germanWeekdays = [...]string{"So.", "Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa."}
	germanMonths   = [...]string{"Januar", "Februar", "März", "April", "Mai", "Juni",
		"Juli", "August", "September", "Oktober", "November", "Dezember"}
)

// countMinutes words a number of minutes: "1 Minute", "30 Minuten".
func countMinutes(l lang.Lang, n int) string {
	unit := map[lang.Lang][2]string{lang.De: {"Minute", "Minuten"}, lang.En: {"minute", "minutes"}}[l]
	if n == 1 {
		return "1 " + unit[0]
	}
	return strconv.Itoa(n) + " " + unit[1]
}

// groupTAN writes a code in groups of four from the left ("1234 5678"),
// dropping the spaces and hyphens it may carry. It reports false when the
// code is empty or has anything but ASCII letters and digits.
func groupTAN(tan string) (string, bool) {
	code := strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(tan))
	if code == "" {
		return "", false
	}
	var b strings.Builder
	for i, r := range code {
		if !('0' <= r && r <= '9' || 'A' <= r && r <= 'Z' || 'a' <= r && r <= 'z') {
			return "", false
		}
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String(), true
}
