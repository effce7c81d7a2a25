package httpapi

import (
	"time"

	"github.com/visite-health/visite/core/app"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/signup"
	"github.com/visite-health/visite/core/staff"
)

// The API's request and response bodies (snake_case JSON). openapi.json
// describes each of them; keep both in step.

type signupRequest struct {
	PracticeName  string `json:"practice_name"`
	PracticeType  string `json:"practice_type"`
	Practitioners int    `json:"practitioners"`
	Street        string `json:"street"`
	PostalCode    string `json:"postal_code"`
	City          string `json:"city"`
	Country       string `json:"country"`
	OwnerTitle    string `json:"owner_title"`
	OwnerName     string `json:"owner_name"`
	Email         string `json:"email"`
	Password      string `json:"password"`
	AcceptTerms   bool   `json:"accept_terms"`
	AcceptDPA     bool   `json:"accept_dpa"`
}

func (r signupRequest) toForm(l lang.Lang) signup.Form {
	return signup.Form{PracticeName: r.PracticeName, PracticeType: r.PracticeType, Practitioners: r.Practitioners,
		Street: r.Street, PostalCode: r.PostalCode, City: r.City, Country: r.Country,
		OwnerTitle: r.OwnerTitle, OwnerName: r.OwnerName, Email: r.Email, Password: r.Password,
		AcceptTerms: r.AcceptTerms, AcceptDPA: r.AcceptDPA, Lang: l}
}

type tokenRequest struct {
	Token string `json:"token"`
}

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

type emailRequest struct {
	Email string `json:"email"`
}

type tokenPasswordRequest struct {
	Token    string `json:"token"`
	Password string `json:"password"`
}

type changePasswordRequest struct {
	CurrentPassword string `json:"current_password"`
	Password        string `json:"password"`
}

type inviteRequest struct {
	Email     string `json:"email"`
	Role      string `json:"role"`
	Title     string `json:"title"`
	Name      string `json:"name"`
	Specialty string `json:"specialty"`
}

func (r inviteRequest) toForm(l lang.Lang) app.InviteForm {
	return app.InviteForm{Email: r.Email, Role: r.Role, Title: r.Title, Name: r.Name, Specialty: r.Specialty, Lang: l}
}

// emailNormalised is the invitee's address as stored (after a successful
// invitation it always parses).
func (r inviteRequest) emailNormalised() string {
	e, _ := identity.ParseEmail(r.Email)
	return string(e)
}

type roleRequest struct {
	Role string `json:"role"`
}

// acceptedDTO answers requests whose outcome arrives by email.
type acceptedDTO struct {
	Message string `json:"message"`
}

type practiceDTO struct {
	ID      string     `json:"id"`
	Slug    string     `json:"slug"`
	Name    string     `json:"name"`
	Type    string     `json:"type"`
	State   string     `json:"state"`
	Address addressDTO `json:"address"`
	Phone   string     `json:"phone,omitempty"`
}

type addressDTO struct {
	Street     string `json:"street"`
	PostalCode string `json:"postal_code"`
	City       string `json:"city"`
	Country    string `json:"country"`
}

func toPracticeDTO(p practice.Practice) practiceDTO {
	a := p.Address()
	return practiceDTO{ID: string(p.ID()), Slug: string(p.Slug()), Name: p.Name(), Type: string(p.Type()), State: string(p.State()),
		Address: addressDTO{Street: a.Street, PostalCode: a.PostalCode, City: a.City, Country: a.Country}, Phone: p.Phone()}
}

// practiceDetailsRequest is the body of updatePracticeDetails.
type practiceDetailsRequest struct {
	Name       string `json:"name"`
	Street     string `json:"street"`
	PostalCode string `json:"postal_code"`
	City       string `json:"city"`
	Country    string `json:"country"`
	Phone      string `json:"phone"`
}

type confirmedDTO struct {
	Practice practiceDTO `json:"practice"`
	Next     string      `json:"next"`
}

func toConfirmedDTO(c app.Confirmed) confirmedDTO {
	return confirmedDTO{Practice: toPracticeDTO(c.Practice), Next: trustedNext(c.Next, "/app")}
}

type sessionDTO struct {
	AccountID string    `json:"account_id"`
	ExpiresAt time.Time `json:"expires_at"`
}

func toSessionDTO(l app.Login) sessionDTO {
	return sessionDTO{AccountID: string(l.AccountID), ExpiresAt: l.ExpiresAt.UTC()}
}

type meDTO struct {
	AccountID          string       `json:"account_id,omitempty"`
	Email              string       `json:"email"`
	Name               string       `json:"name"`
	Role               string       `json:"role"`
	MemberID           string       `json:"member_id,omitempty"`
	PatientID          string       `json:"patient_id,omitempty"`
	MustChangePassword bool         `json:"must_change_password,omitempty"`
	ConsultationID     string       `json:"consultation_id,omitempty"`
	Practice           *practiceDTO `json:"practice,omitempty"`
}

func toMeDTO(me *app.Me) meDTO {
	out := meDTO{AccountID: string(me.Actor.AccountID), Email: string(me.Email), Name: me.Name,
		Role: string(me.Actor.Role), MemberID: string(me.Member), PatientID: string(me.Patient),
		MustChangePassword: me.MustChangePassword, ConsultationID: string(me.Consultation)}
	if me.Actor.Practice != "" {
		p := toPracticeDTO(me.Practice)
		out.Practice = &p
	}
	return out
}

type staffMemberDTO struct {
	ID        string    `json:"id"`
	Email     string    `json:"email,omitempty"`
	Role      string    `json:"role"`
	State     string    `json:"state"`
	Title     string    `json:"title"`
	Name      string    `json:"name"`
	FullName  string    `json:"full_name"`
	Specialty string    `json:"specialty"`
	CreatedAt time.Time `json:"created_at"`
}

func toStaffMemberDTO(m staff.Member, email string) staffMemberDTO {
	p := m.Profile()
	return staffMemberDTO{ID: string(m.ID()), Email: email, Role: string(m.Role()), State: string(m.State()),
		Title: p.Title, Name: p.DisplayName, FullName: p.FullName(), Specialty: p.Specialty, CreatedAt: m.CreatedAt().UTC()}
}

type staffListDTO struct {
	Items []staffMemberDTO `json:"items"`
}

func toStaffListDTO(entries []app.StaffEntry) staffListDTO {
	out := staffListDTO{Items: make([]staffMemberDTO, 0, len(entries))}
	for _, e := range entries {
		out.Items = append(out.Items, toStaffMemberDTO(e.Member, string(e.Email)))
	}
	return out
}
