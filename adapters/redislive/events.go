package redislive

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/ids"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/ports"
)

// SubscriberBuffer is how many events a subscriber's channel holds; events
// that find it full are dropped for that subscriber.
const SubscriberBuffer = 64

// retryDelay is the pause before reading again after a Redis error (the
// PubSub reconnects and subscribes again by itself).
const retryDelay = 100 * time.Millisecond

// LiveEvents is the Redis implementation of ports.LiveEvents: one pub/sub
// channel per practice. It is safe for concurrent use.
type LiveEvents struct {
	rdb    redis.UniversalClient
	prefix string
}

var _ ports.LiveEvents = (*LiveEvents)(nil)

// NewLiveEvents returns a LiveEvents on rdb whose channels start with prefix
// ("" in production; tests use their own).
func NewLiveEvents(rdb redis.UniversalClient, prefix string) *LiveEvents {
	return &LiveEvents{rdb: rdb, prefix: prefix}
}

// eventJSON is an event on the wire.
type eventJSON struct {
	Kind         consultation.EventKind `json:"kind"`
	Consultation consultation.ID        `json:"consultation"`
	Participant  string                 `json:"participant,omitempty"`
	Name         string                 `json:"name,omitempty"`
	Text         string                 `json:"text,omitempty"`
	At           time.Time              `json:"at"`
}

func toEventJSON(e consultation.Event) eventJSON {
	return eventJSON{Kind: e.Kind, Consultation: e.Consultation, Participant: e.Participant,
		Name: e.Name, Text: e.Text, At: e.At.UTC()}
}

func fromEventJSON(j eventJSON) consultation.Event {
	return consultation.Event{Kind: j.Kind, Consultation: j.Consultation, Participant: j.Participant,
		Name: j.Name, Text: j.Text, At: j.At}
}

// channel returns the practice's pub/sub channel.
func (l *LiveEvents) channel(pid practice.ID) (string, error) {
	if !ids.Valid(string(pid)) {
		return "", errs.E(errs.NotFound, "not_found")
	}
	return l.prefix + "visite:live:" + string(pid), nil
}

// Publish sends e to the practice's subscribers in every process. NotFound
// for a malformed practice id; an internal error when Redis fails.
func (l *LiveEvents) Publish(ctx context.Context, pid practice.ID, e consultation.Event) error {
	ch, err := l.channel(pid)
	if err != nil {
		return err
	}
	b, err := json.Marshal(toEventJSON(e))
	if err != nil {
		return fmt.Errorf("publish event: encode: %w", err)
	}
	if err := l.rdb.Publish(ctx, ch, b).Err(); err != nil {
		return fmt.Errorf("publish event: %w", err)
	}
	return nil
}

// Subscribe delivers the practice's events, in the order published, until
// ctx ends, then closes the channel. It returns once Redis confirmed the
// subscription, so events published after it returns arrive. The channel
// holds SubscriberBuffer events; further events are dropped until the
// subscriber catches up, and messages that are no event are skipped.
// NotFound for a malformed practice id; an internal error when Redis fails.
func (l *LiveEvents) Subscribe(ctx context.Context, pid practice.ID) (<-chan consultation.Event, error) {
	ch, err := l.channel(pid)
	if err != nil {
		return nil, err
	}
	ps := l.rdb.Subscribe(ctx, ch)
	if _, err := ps.Receive(ctx); err != nil {
		_ = ps.Close()
		return nil, fmt.Errorf("subscribe to events: %w", err)
	}
	out := make(chan consultation.Event, SubscriberBuffer)
	// A blocked read does not notice ctx ending; closing the PubSub ends it.
	stop := context.AfterFunc(ctx, func() { _ = ps.Close() })
	go func() {
		defer close(out)
		defer stop()
		for {
			msg, err := ps.ReceiveMessage(context.WithoutCancel(ctx))
			if ctx.Err() != nil {
				return
			}
			if err != nil {
				select {
				case <-ctx.Done():
					return
				case <-time.After(retryDelay):
				}
				continue
			}
			e, ok := decodeEvent(msg.Payload)
			if !ok {
				continue
			}
			select {
			case out <- e:
			default: // the subscriber is behind: drop rather than block
			}
		}
	}()
	return out, nil
}

// decodeEvent reads one message; false when it is no event.
func decodeEvent(payload string) (consultation.Event, bool) {
	var j eventJSON
	if err := json.Unmarshal([]byte(payload), &j); err != nil || j.Kind == "" {
		return consultation.Event{}, false
	}
	return fromEventJSON(j), true
}
