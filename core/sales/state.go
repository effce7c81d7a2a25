package sales

import "slices"

// State is where a lead stands with the sales team.
type State string

// Lead states.
const (
	StateNew       State = "new"        // just came in through the form
	StateContacted State = "contacted"  // someone of the team talked to them
	StateOfferSent State = "offer_sent" // an offer is with the practice
	StateWon       State = "won"        // the practice became a customer: final
	StateLost      State = "lost"       // not now; may be contacted again
)

// States lists every state in the order of a sale.
var States = []State{StateNew, StateContacted, StateOfferSent, StateWon, StateLost}

// next holds the allowed transitions. A lead never goes back to new; a won
// lead stays won (the practice is a customer now, its contract lives in
// billing); a lost lead may be taken up again by contacting it.
var next = map[State][]State{
	StateNew:       {StateContacted, StateOfferSent, StateLost},
	StateContacted: {StateOfferSent, StateWon, StateLost},
	StateOfferSent: {StateContacted, StateWon, StateLost},
	StateWon:       nil,
	StateLost:      {StateContacted},
}

// ParseState checks a state for the field "state".
func ParseState(s string) (State, error) {
	st := State(s)
	if !st.Valid() {
		return "", invalidState()
	}
	return st, nil
}

// Valid reports whether s is one of States.
func (s State) Valid() bool { return slices.Contains(States, s) }

// Next returns the states a lead in s may move to.
func (s State) Next() []State { return slices.Clone(next[s]) }

// CanBecome reports whether a lead in s may move to to.
func (s State) CanBecome(to State) bool { return slices.Contains(next[s], to) }
