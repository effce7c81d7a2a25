package pionclient

import (
	"context"
	"errors"
	"testing"
)

func TestPipeCarriesMessagesBothWaysAndCloses(t *testing.T) {
	ctx := context.Background()
	server, client := Pipe()
	msg := []byte("hello")
	if err := client.Write(ctx, msg); err != nil {
		t.Fatalf("write: %v", err)
	}
	msg[0] = 'j' // the pipe keeps its own copy
	if got, err := server.Read(ctx); err != nil || string(got) != "hello" {
		t.Fatalf("server read %q, %v", got, err)
	}
	if err := server.Write(ctx, []byte("last")); err != nil {
		t.Fatalf("write: %v", err)
	}
	_ = server.Close()
	if got, err := client.Read(ctx); err != nil || string(got) != "last" {
		t.Errorf("a message sent before Close was lost: %q, %v", got, err)
	}
	if _, err := client.Read(ctx); !errors.Is(err, ErrPipeClosed) {
		t.Errorf("read after close: %v, want ErrPipeClosed", err)
	}
	if err := client.Write(ctx, msg); !errors.Is(err, ErrPipeClosed) {
		t.Errorf("write after close: %v, want ErrPipeClosed", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	a, _ := Pipe()
	if _, err := a.Read(cancelled); !errors.Is(err, context.Canceled) {
		t.Errorf("read with a cancelled context: %v", err)
	}
}
