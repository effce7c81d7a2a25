package postgres_test

import (
	"testing"

	"github.com/visite-health/visite/adapters/postgres"
	"github.com/visite-health/visite/adapters/postgres/pgtest"
	"github.com/visite-health/visite/ports/portstest"
)

// TestContract runs the port contract suites against PostgreSQL. The suites
// make unique data, so they share one database (creating one per suite
// costs more than the suites themselves).
func TestContract(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	repos := portstest.Repos{
		UnitOfWork: postgres.NewUnitOfWork(db),
		Practices:  postgres.NewPractices(db),
		Accounts:   postgres.NewAccounts(db),
		Staff:      postgres.NewStaff(db),
		Signups:    postgres.NewSignups(db),
		Tokens:     postgres.NewTokens(db),
		Sessions:   postgres.NewSessions(db),

		Patients:      postgres.NewPatients(db),
		Settings:      postgres.NewSettings(db),
		Consultations: postgres.NewConsultations(db),
		Invitations:   postgres.NewInvitations(db),
		PriceBook:     postgres.NewPriceBook(db),
		Leads:         postgres.NewLeads(db),
		Offers:        postgres.NewOffers(db),

		BillingAccounts: postgres.NewBillingAccounts(db),
		PaymentEvents:   postgres.NewPaymentEvents(db),
	}
	portstest.Run(t, func(*testing.T) portstest.Repos { return repos })
}
