package pionsfu

import (
	"context"
	"fmt"
	"sync"
)

// outboxSize is how many messages may wait for a slow client before the
// session is dropped.
const outboxSize = 256

// outbox queues a session's outgoing messages for its one writer, so that
// room operations and Pion callbacks never block on a client's socket, and
// carries the session's end: a final notice (`removed`, `ended`,
// `replaced`), flushed before the connection is let go.
type outbox struct {
	out        chan []byte
	stop       chan struct{} // closed by end
	endOnce    sync.Once
	err        error // why the session ended; set once, before stop closes
	writerDone chan struct{}
	readCtx    context.Context
	cancelRead context.CancelFunc
}

// newOutbox returns an outbox whose reading context derives from ctx.
func newOutbox(ctx context.Context) outbox {
	readCtx, cancel := context.WithCancel(ctx)
	return outbox{
		out: make(chan []byte, outboxSize), stop: make(chan struct{}), writerDone: make(chan struct{}),
		readCtx: readCtx, cancelRead: cancel,
	}
}

// send queues m; a client too slow to take its messages is dropped.
func (s *session) send(m ServerMessage) { s.sendRaw(encode(m)) }

func (s *session) sendRaw(msg []byte) {
	select {
	case s.out <- msg:
	default:
		s.end("", errSlowClient)
	}
}

// end ends the session once: notice (if any) is the last message the
// client gets, err is what Serve returns. Later calls do nothing.
func (s *session) end(notice MessageType, err error) {
	s.endOnce.Do(func() {
		s.err = err
		if notice != "" {
			select {
			case s.out <- encode(ServerMessage{Type: notice}):
			default:
			}
		}
		close(s.stop)
	})
}

func (s *session) stopped() bool {
	select {
	case <-s.stop:
		return true
	default:
		return false
	}
}

// writeLoop writes the queued messages until the session ends, flushes
// what is left, then stops the reading (which lets the connection go).
func (s *session) writeLoop(ctx context.Context) {
	defer close(s.writerDone)
	for {
		select {
		case msg := <-s.out:
			if err := s.write(ctx, msg); err != nil {
				// The client went away; that ends the session, no error.
				s.rooms.log.Debug("media: signalling write failed", "room", s.peer.Room, "err", err)
				s.end("", nil)
				s.cancelRead()
				return
			}
		case <-s.stop:
			s.flush(ctx)
			s.cancelRead()
			return
		}
	}
}

func (s *session) flush(ctx context.Context) {
	for {
		select {
		case msg := <-s.out:
			if s.write(ctx, msg) != nil {
				return
			}
		default:
			return
		}
	}
}

func (s *session) write(ctx context.Context, msg []byte) error {
	ctx, cancel := context.WithTimeout(ctx, defaultWriteWait)
	defer cancel()
	if err := s.conn.Write(ctx, msg); err != nil {
		return fmt.Errorf("write signalling: %w", err)
	}
	return nil
}
