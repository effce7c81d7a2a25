package asynqjobs

import (
	"fmt"
	"log/slog"
	"os"

	"github.com/hibiken/asynq"
)

// slogLogger lets asynq log through slog. asynq logs task ids and types,
// never payloads.
type slogLogger struct{ l *slog.Logger }

var _ asynq.Logger = slogLogger{}

func newLogger(l *slog.Logger) slogLogger {
	if l == nil {
		l = slog.Default()
	}
	return slogLogger{l: l.With("component", "asynq")}
}

func (s slogLogger) Debug(args ...any) { s.l.Debug(fmt.Sprint(args...)) }
func (s slogLogger) Info(args ...any)  { s.l.Info(fmt.Sprint(args...)) }
func (s slogLogger) Warn(args ...any)  { s.l.Warn(fmt.Sprint(args...)) }
func (s slogLogger) Error(args ...any) { s.l.Error(fmt.Sprint(args...)) }

// Fatal logs and exits, as asynq's Logger contract demands; asynq calls it
// only when it cannot go on at all.
func (s slogLogger) Fatal(args ...any) {
	s.l.Error(fmt.Sprint(args...))
	os.Exit(1)
}
