package pionclient

import (
	"context"
	"errors"
	"sync"

	"github.com/visite-health/visite/ports"
)

// ErrPipeClosed is what a closed pipe's Read and Write return.
var ErrPipeClosed = errors.New("signal pipe closed")

// pipeBuffer is how many messages each direction of a pipe holds.
const pipeBuffer = 1024

// PipeConn is one end of an in-memory signalling connection.
type PipeConn struct {
	in     <-chan []byte
	out    chan<- []byte
	closed chan struct{} // shared by both ends
	once   *sync.Once
}

var _ ports.SignalConn = (*PipeConn)(nil)

// Pipe returns the two ends of an in-memory ports.SignalConn, for tests:
// give server to Rooms.Serve and client to Connect. Closing either end
// closes both.
func Pipe() (server, client *PipeConn) {
	toServer, toClient := make(chan []byte, pipeBuffer), make(chan []byte, pipeBuffer)
	closed, once := make(chan struct{}), &sync.Once{}
	server = &PipeConn{in: toServer, out: toClient, closed: closed, once: once}
	client = &PipeConn{in: toClient, out: toServer, closed: closed, once: once}
	return server, client
}

// Read returns the next message; messages already sent are still read
// after Close.
func (p *PipeConn) Read(ctx context.Context) ([]byte, error) {
	select {
	case msg := <-p.in:
		return msg, nil
	default:
	}
	select {
	case msg := <-p.in:
		return msg, nil
	case <-p.closed:
		return nil, ErrPipeClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Write sends a copy of msg.
func (p *PipeConn) Write(ctx context.Context, msg []byte) error {
	select {
	case <-p.closed:
		return ErrPipeClosed
	default:
	}
	select {
	case p.out <- append([]byte(nil), msg...):
		return nil
	case <-p.closed:
		return ErrPipeClosed
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close closes both ends.
func (p *PipeConn) Close() error {
	p.once.Do(func() { close(p.closed) })
	return nil
}
