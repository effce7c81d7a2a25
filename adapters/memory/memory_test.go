package memory_test

import (
	"testing"

	"github.com/visite-health/visite/adapters/memory"
	"github.com/visite-health/visite/ports/portstest"
)

func TestContract(t *testing.T) {
	portstest.Run(t, func(*testing.T) portstest.Repos {
		s := memory.New()
		return portstest.Repos{UnitOfWork: s.UnitOfWork, Practices: s.Practices, Accounts: s.Accounts,
			Staff: s.Staff, Signups: s.Signups, Tokens: s.Tokens, Sessions: s.Sessions,
			Patients: s.Patients, Settings: s.Settings, Consultations: s.Consultations, Invitations: s.Invitations,
			PriceBook: s.PriceBook, Leads: s.Leads, Offers: s.Offers, BillingAccounts: s.BillingAccounts, PaymentEvents: s.PaymentEvents}
	})
}
