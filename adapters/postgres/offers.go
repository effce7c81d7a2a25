package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/lang"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/sales"
	"github.com/visite-health/visite/ports"
)

// Offers stores the sales team's offers in the table offers (migration
// 0013): platform-wide like the leads, with no privilege for the practice
// role.
type Offers struct {
	db *bun.DB
}

var _ ports.Offers = (*Offers)(nil)

// NewOffers returns the offer repository on db.
func NewOffers(db *bun.DB) *Offers { return &Offers{db: db} }

type offerRow struct {
	bun.BaseModel `bun:"table:offers,alias:o"`

	ID              string    `bun:"id,pk,type:uuid"`
	LeadID          string    `bun:"lead_id,type:uuid,nullzero"`
	PracticeID      string    `bun:"practice_id,type:uuid,nullzero"`
	ForLead         bool      `bun:"for_lead"`
	RecipientName   string    `bun:"recipient_name"`
	RecipientEmail  string    `bun:"recipient_email"`
	PracticeName    string    `bun:"practice_name"`
	Lang            string    `bun:"lang"`
	PracticeType    string    `bun:"practice_type"`
	Seats           int       `bun:"seats"`
	Interval        string    `bun:"billing_interval"`
	ListNetCents    int64     `bun:"list_net_cents"`
	DiscountPercent int       `bun:"discount_percent"`
	UnitNetCents    int64     `bun:"unit_net_cents"`
	TrialDays       int       `bun:"trial_days"`
	Payment         string    `bun:"payment"`
	DaysUntilDue    int       `bun:"days_until_due"`
	ValidUntil      time.Time `bun:"valid_until"`
	State           string    `bun:"state"`
	TokenHash       string    `bun:"token_hash"`
	CreatedBy       string    `bun:"created_by"`
	CreatedAt       time.Time `bun:"created_at"`
	ClosedAt        time.Time `bun:"closed_at,nullzero"`
	AcceptedBy      string    `bun:"accepted_by,type:uuid,nullzero"`
}

func toOfferRow(o sales.Offer) offerRow {
	r, t := o.Recipient(), o.Terms()
	return offerRow{ID: string(o.ID()), LeadID: string(o.For().Lead), PracticeID: string(o.For().Practice),
		ForLead: o.For().Practice == "", RecipientName: r.Name, RecipientEmail: string(r.Email), PracticeName: r.PracticeName,
		Lang: string(r.Lang), PracticeType: string(t.PracticeType), Seats: t.Seats, Interval: string(t.Interval),
		ListNetCents: int64(t.ListNet), DiscountPercent: t.DiscountPercent, UnitNetCents: int64(t.UnitNet),
		TrialDays: t.TrialDays, Payment: string(t.Payment), DaysUntilDue: t.DaysUntilDue, ValidUntil: o.ValidUntil(),
		State: string(o.State()), TokenHash: o.TokenHash(), CreatedBy: string(o.CreatedBy()), CreatedAt: o.CreatedAt(),
		ClosedAt: o.ClosedAt(), AcceptedBy: string(o.AcceptedBy())}
}

func fromOfferRow(r offerRow) sales.Offer {
	to := sales.For{Lead: sales.LeadID(r.LeadID), Practice: practice.ID(r.PracticeID)}
	rec := sales.Recipient{Name: r.RecipientName, Email: identity.Email(r.RecipientEmail), PracticeName: r.PracticeName,
		Lang: lang.Lang(r.Lang)}
	t := sales.Terms{PracticeType: practice.Type(r.PracticeType), Seats: r.Seats, Interval: billing.Interval(r.Interval),
		ListNet: billing.Cents(r.ListNetCents), DiscountPercent: r.DiscountPercent, UnitNet: billing.Cents(r.UnitNetCents),
		TrialDays: r.TrialDays, Payment: sales.Payment(r.Payment), DaysUntilDue: r.DaysUntilDue}
	closed := r.ClosedAt
	if !closed.IsZero() {
		closed = closed.UTC()
	}
	return sales.RehydrateOffer(sales.OfferID(r.ID), to, rec, t, r.ValidUntil.UTC(), sales.OfferState(r.State), r.TokenHash,
		identity.Email(r.CreatedBy), r.CreatedAt.UTC(), closed, practice.ID(r.AcceptedBy))
}

// Add stores a new offer.
func (r *Offers) Add(ctx context.Context, o sales.Offer) error {
	row := toOfferRow(o)
	if _, err := IDB(ctx, r.db).NewInsert().Model(&row).Exec(ctx); err != nil {
		return fmt.Errorf("insert offer: %w", err)
	}
	return nil
}

// Get returns an offer; NotFound when none.
func (r *Offers) Get(ctx context.Context, id sales.OfferID) (sales.Offer, error) {
	if !ids.Valid(string(id)) {
		return sales.Offer{}, notFound()
	}
	return r.one(ctx, IDB(ctx, r.db).NewSelect().Where("id = ?", string(id)))
}

// GetByToken returns the offer whose link has this hash, locked for the
// transaction in ctx (at once released outside one).
func (r *Offers) GetByToken(ctx context.Context, hash string) (sales.Offer, error) {
	if hash == "" {
		return sales.Offer{}, notFound()
	}
	return r.one(ctx, IDB(ctx, r.db).NewSelect().Where("token_hash = ?", hash).For("UPDATE"))
}

func (r *Offers) one(ctx context.Context, q *bun.SelectQuery) (sales.Offer, error) {
	var row offerRow
	if err := q.Model(&row).Scan(ctx); err != nil {
		if isNoRows(err) {
			return sales.Offer{}, notFound()
		}
		return sales.Offer{}, fmt.Errorf("select offer: %w", err)
	}
	return fromOfferRow(row), nil
}

// List returns a page of all offers, newest first, and how many match.
// Wildcards in q.Text match literally; the limit is clamped to 1..100 (20
// when unset).
func (r *Offers) List(ctx context.Context, q ports.OfferQuery) (ports.OfferPage, error) {
	filter := func(sq *bun.SelectQuery) *bun.SelectQuery {
		switch q.Status {
		case "":
		case sales.OfferOpen:
			sq = sq.Where("state = 'open' AND valid_until >= ?", q.Now)
		case sales.OfferExpired:
			sq = sq.Where("state = 'open' AND valid_until < ?", q.Now)
		default:
			sq = sq.Where("state = ?", string(q.Status))
		}
		return whereContains(sq, q.Text, "practice_name", "recipient_email")
	}
	rows, total, err := selectPage[offerRow](ctx, IDB(ctx, r.db), filter, "created_at DESC, id", q.Limit, q.Offset, "offers")
	if err != nil {
		return ports.OfferPage{}, err
	}
	page := ports.OfferPage{Items: make([]sales.Offer, len(rows)), Total: total}
	for i, row := range rows {
		page.Items[i] = fromOfferRow(row)
	}
	return page, nil
}

// ForLead lists a lead's offers, newest first.
func (r *Offers) ForLead(ctx context.Context, id sales.LeadID) ([]sales.Offer, error) {
	if !ids.Valid(string(id)) {
		return nil, nil
	}
	return r.list(ctx, "lead_id = ?", string(id))
}

// ForPractice lists the offers made to or accepted by a practice, newest
// first.
func (r *Offers) ForPractice(ctx context.Context, id practice.ID) ([]sales.Offer, error) {
	if !ids.Valid(string(id)) {
		return nil, nil
	}
	return r.list(ctx, "(practice_id = ? OR accepted_by = ?)", string(id), string(id))
}

func (r *Offers) list(ctx context.Context, where string, args ...any) ([]sales.Offer, error) {
	var rows []offerRow
	if err := IDB(ctx, r.db).NewSelect().Model(&rows).Where(where, args...).Order("created_at DESC", "id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("select offers: %w", err)
	}
	out := make([]sales.Offer, len(rows))
	for i, row := range rows {
		out[i] = fromOfferRow(row)
	}
	return out, nil
}

// Update stores the offer's state, when it closed and who accepted it;
// NotFound when it does not exist.
func (r *Offers) Update(ctx context.Context, o sales.Offer) error {
	if !ids.Valid(string(o.ID())) {
		return notFound()
	}
	row := toOfferRow(o)
	res, err := IDB(ctx, r.db).NewUpdate().Model(&row).Column("state", "closed_at", "accepted_by").WherePK().Exec(ctx)
	if err != nil {
		return fmt.Errorf("update offer: %w", err)
	}
	return mustAffect(res)
}

// DeleteUnacceptedBefore removes the offers never accepted whose validity
// ended before t.
func (r *Offers) DeleteUnacceptedBefore(ctx context.Context, t time.Time) (int, error) {
	res, err := IDB(ctx, r.db).NewDelete().Model((*offerRow)(nil)).
		Where("state <> 'accepted' AND valid_until < ?", t).Exec(ctx)
	return affected(res, err, "delete unaccepted offers")
}
