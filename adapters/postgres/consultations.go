package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/patient"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/staff"
	"github.com/visite-health/visite/ports"
)

// Consultations stores consultations in the table consultations. Every query
// filters by the practice it is given, except the two sweeps (ListMissed,
// DeleteOverBefore), which work across practices.
type Consultations struct {
	db *bun.DB
}

var _ ports.Consultations = (*Consultations)(nil)

// NewConsultations returns the consultation repository on db.
func NewConsultations(db *bun.DB) *Consultations { return &Consultations{db: db} }

// consultationRow leaves out planned_end, which the database generates from
// planned_start and planned_seconds.
type consultationRow struct {
	bun.BaseModel `bun:"table:consultations"`

	ID             string    `bun:"id,pk,type:uuid"`
	PracticeID     string    `bun:"practice_id,type:uuid"`
	PractitionerID string    `bun:"practitioner_id,type:uuid"`
	PlannedStart   time.Time `bun:"planned_start"`
	// PlannedSeconds is the planned length in whole seconds.
	PlannedSeconds   int       `bun:"planned_seconds"`
	State            string    `bun:"state"`
	Note             string    `bun:"note"`
	CreatedAt        time.Time `bun:"created_at"`
	StartedAt        time.Time `bun:"started_at,nullzero"`
	EndedAt          time.Time `bun:"ended_at,nullzero"`
	CancelledAt      time.Time `bun:"cancelled_at,nullzero"`
	ParticipantCount int       `bun:"participant_count"`
	PatientID        string    `bun:"patient_id,type:uuid,nullzero"`
}

// consultationUpdateColumns are the columns a consultation's methods change;
// id, practice, practitioner and creation time never do.
var consultationUpdateColumns = []string{"planned_start", "planned_seconds", "state", "note", "started_at",
	"ended_at", "cancelled_at", "participant_count", "patient_id"}

func toConsultationRow(c consultation.Consultation) consultationRow {
	s := c.Snapshot()
	return consultationRow{ID: string(s.ID), PracticeID: string(s.PracticeID), PractitionerID: string(s.Practitioner),
		PlannedStart: s.Start, PlannedSeconds: int(s.Length / time.Second), State: string(s.State), Note: s.Note,
		CreatedAt: s.CreatedAt, StartedAt: s.StartedAt, EndedAt: s.EndedAt, CancelledAt: s.CancelledAt,
		ParticipantCount: s.Participants, PatientID: string(s.Patient)}
}

func fromConsultationRow(r consultationRow) consultation.Consultation {
	return consultation.Rehydrate(consultation.Snapshot{ID: consultation.ID(r.ID), PracticeID: practice.ID(r.PracticeID),
		Practitioner: staff.MemberID(r.PractitionerID), Start: r.PlannedStart.UTC(),
		Length: time.Duration(r.PlannedSeconds) * time.Second, State: consultation.State(r.State), Note: r.Note,
		CreatedAt: r.CreatedAt.UTC(), StartedAt: utc(r.StartedAt), EndedAt: utc(r.EndedAt),
		CancelledAt: utc(r.CancelledAt), Participants: r.ParticipantCount, Patient: patient.ID(r.PatientID)})
}

func fromConsultationRows(rows []consultationRow) []consultation.Consultation {
	out := make([]consultation.Consultation, 0, len(rows))
	for _, r := range rows {
		out = append(out, fromConsultationRow(r))
	}
	return out
}

// validRefs reports whether the ids a consultation refers to are well formed.
func validRefs(c consultation.Consultation) bool {
	return ids.Valid(string(c.ID())) && ids.Valid(string(c.PracticeID())) && ids.Valid(string(c.Practitioner())) &&
		(c.Patient() == "" || ids.Valid(string(c.Patient())))
}

// Create stores a new consultation; NotFound when its practitioner or its
// patient is not one of its practice (or an id is malformed), Conflict
// "consultation.exists" when its id is taken.
func (r *Consultations) Create(ctx context.Context, c consultation.Consultation) error {
	if !validRefs(c) {
		return notFound()
	}
	row := toConsultationRow(c)
	return insertRow(ctx, IDB(ctx, r.db), &row, "consultation.exists", "insert consultation")
}

// Get returns consultation id of practice pid; NotFound when it does not
// exist or belongs to another practice.
func (r *Consultations) Get(ctx context.Context, pid practice.ID, id consultation.ID) (consultation.Consultation, error) {
	return r.get(ctx, pid, id, false)
}

// GetForUpdate is Get that locks the row until the transaction in ctx ends,
// so that two changes of one consultation (an admit and a cancel, the
// no-show sweep and a check-in) happen one after the other.
func (r *Consultations) GetForUpdate(ctx context.Context, pid practice.ID, id consultation.ID) (consultation.Consultation, error) {
	return r.get(ctx, pid, id, true)
}

func (r *Consultations) get(ctx context.Context, pid practice.ID, id consultation.ID, lock bool) (consultation.Consultation, error) {
	if !ids.Valid(string(pid)) || !ids.Valid(string(id)) {
		return consultation.Consultation{}, notFound()
	}
	var row consultationRow
	q := IDB(ctx, r.db).NewSelect().Model(&row).Where("practice_id = ? AND id = ?", string(pid), string(id))
	if lock {
		q = q.For("UPDATE")
	}
	if err := q.Scan(ctx); err != nil {
		if isNoRows(err) {
			return consultation.Consultation{}, notFound()
		}
		return consultation.Consultation{}, fmt.Errorf("select consultation: %w", err)
	}
	return fromConsultationRow(row), nil
}

// Update stores a changed consultation of practice pid: planned time, state,
// note, the times it started, ended or was cancelled, the participant count
// and the patient. NotFound when it does not exist in pid (or belongs to
// another practice, or its new patient is not one of pid).
func (r *Consultations) Update(ctx context.Context, pid practice.ID, c consultation.Consultation) error {
	if c.PracticeID() != pid || !validRefs(c) {
		return notFound()
	}
	row := toConsultationRow(c)
	res, err := IDB(ctx, r.db).NewUpdate().Model(&row).Column(consultationUpdateColumns...).
		Where("practice_id = ? AND id = ?", string(pid), row.ID).Exec(ctx)
	switch {
	case isForeignKeyViolation(err):
		return notFound()
	case err != nil:
		return fmt.Errorf("update consultation: %w", err)
	}
	return mustAffect(res)
}

// List bounds.
const (
	maxConsultationLimit = 500
	// The sweeps' default batch when the caller gives none, and their cap.
	defaultSweepBatch = 500
	maxSweepBatch     = 5000
)

// clamp returns n within 1..upper, def when n is not above zero.
func clamp(n, def, upper int) int {
	if n <= 0 {
		return def
	}
	return min(n, upper)
}

// List returns the practice's consultations matching q, ordered by planned
// start and id; Limit is clamped to 1..500 (500 when unset). A malformed
// practice, practitioner or patient id matches nothing.
func (r *Consultations) List(ctx context.Context, pid practice.ID, q ports.ConsultationQuery) ([]consultation.Consultation, error) {
	out := []consultation.Consultation{}
	if !ids.Valid(string(pid)) || (q.Practitioner != "" && !ids.Valid(string(q.Practitioner))) ||
		(q.Patient != "" && !ids.Valid(string(q.Patient))) {
		return out, nil
	}
	var rows []consultationRow
	sq := IDB(ctx, r.db).NewSelect().Model(&rows).Where("practice_id = ?", string(pid))
	if q.Practitioner != "" {
		sq = sq.Where("practitioner_id = ?", string(q.Practitioner))
	}
	if q.Patient != "" {
		sq = sq.Where("patient_id = ?", string(q.Patient))
	}
	if !q.From.IsZero() {
		sq = sq.Where("planned_start >= ?", q.From.UTC())
	}
	if !q.To.IsZero() {
		sq = sq.Where("planned_start < ?", q.To.UTC())
	}
	if len(q.States) > 0 {
		sq = sq.Where("state IN (?)", bun.In(stateStrings(q.States)))
	}
	if q.After.ID != "" {
		if !ids.Valid(string(q.After.ID)) {
			return out, nil
		}
		sq = sq.Where("(planned_start, id) > (?, ?::uuid)", q.After.Start.UTC(), string(q.After.ID))
	}
	err := sq.OrderExpr("planned_start, id").Limit(int64(clamp(q.Limit, maxConsultationLimit, maxConsultationLimit))).Scan(ctx)
	if err != nil {
		return out, fmt.Errorf("list consultations: %w", err)
	}
	return fromConsultationRows(rows), nil
}

func stateStrings(states []consultation.State) []string {
	out := make([]string, len(states))
	for i, s := range states {
		out[i] = string(s)
	}
	return out
}

// Overlaps reports whether the practitioner has a consultation in practice
// pid, other than except and not cancelled or missed, whose planned time
// overlaps [start, end); touching intervals do not overlap. Malformed ids
// overlap nothing; an empty or malformed except excludes nothing.
func (r *Consultations) Overlaps(ctx context.Context, pid practice.ID, practitioner staff.MemberID, start, end time.Time,
	except consultation.ID) (bool, error) {
	if !ids.Valid(string(pid)) || !ids.Valid(string(practitioner)) {
		return false, nil
	}
	sq := IDB(ctx, r.db).NewSelect().Table("consultations").
		Where("practice_id = ? AND practitioner_id = ?", string(pid), string(practitioner)).
		Where("state NOT IN (?)", bun.In([]string{string(consultation.StateCancelled), string(consultation.StateNoShow)})).
		Where("planned_start < ? AND planned_end > ?", end.UTC(), start.UTC())
	if ids.Valid(string(except)) {
		sq = sq.Where("id <> ?", string(except))
	}
	found, err := sq.Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("check overlapping consultations: %w", err)
	}
	return found, nil
}

// ListMissed returns up to limit consultations of any practice (that ctx
// may see) still scheduled or waiting whose planned end is before t, the
// longest overdue first; limit is clamped to 1..5000 (500 when unset).
func (r *Consultations) ListMissed(ctx context.Context, t time.Time, limit int) ([]consultation.Consultation, error) {
	return r.listDue(ctx, t, limit, consultation.StateScheduled, consultation.StateWaiting)
}

// ListOverrun returns up to limit consultations of any practice (that ctx
// may see) still in a call whose planned end is before t, the longest
// overdue first; limit is clamped as for ListMissed.
func (r *Consultations) ListOverrun(ctx context.Context, t time.Time, limit int) ([]consultation.Consultation, error) {
	return r.listDue(ctx, t, limit, consultation.StateInCall)
}

// listDue lists consultations in one of states whose planned end is before t.
func (r *Consultations) listDue(ctx context.Context, t time.Time, limit int, states ...consultation.State) ([]consultation.Consultation, error) {
	var rows []consultationRow
	err := IDB(ctx, r.db).NewSelect().Model(&rows).
		Where("state IN (?)", bun.In(stateStrings(states))).
		Where("planned_end < ?", t.UTC()).
		OrderExpr("planned_end, id").Limit(int64(clamp(limit, defaultSweepBatch, maxSweepBatch))).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("list overdue consultations: %w", err)
	}
	return fromConsultationRows(rows), nil
}

// DeleteOverBefore deletes, in one statement, up to batch consultations of
// any practice (that ctx may see) that ended, were cancelled or missed
// before cutoff, and returns how many. Their invitations (with the TAN
// hashes) follow by ON DELETE CASCADE, and the guest sessions of those
// invitations by theirs. Rows another transaction holds locked are skipped,
// not waited for, so the sweep never blocks the service; the next batch or
// run takes them. batch is clamped to 1..5000 (500 when unset).
func (r *Consultations) DeleteOverBefore(ctx context.Context, cutoff time.Time, batch int) (int, error) {
	res, err := IDB(ctx, r.db).NewRaw(`DELETE FROM consultations WHERE id IN (
		SELECT id FROM consultations
		WHERE state IN (?) AND coalesce(ended_at, cancelled_at) < ?
		ORDER BY coalesce(ended_at, cancelled_at), id
		LIMIT ? FOR UPDATE SKIP LOCKED)`,
		bun.In(stateStrings(overStates)), cutoff.UTC(), clamp(batch, defaultSweepBatch, maxSweepBatch)).Exec(ctx)
	return affected(res, err, "delete expired consultations")
}

// overStates are the final states, as in the index consultations_over_idx.
var overStates = []consultation.State{consultation.StateEnded, consultation.StateCancelled, consultation.StateNoShow}
