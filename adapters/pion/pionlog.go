package pionsfu

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/pion/logging"
)

// pionLogs routes Pion's own logs to slog, all at debug level: they are
// mostly teardown noise ("write on closed pipe") and may carry the
// participants' IP addresses, which have no place in the normal logs.
type pionLogs struct{ log *slog.Logger }

var _ logging.LoggerFactory = pionLogs{}

// NewLogger returns the logger of one Pion component.
func (f pionLogs) NewLogger(scope string) logging.LeveledLogger {
	return pionLogger{log: f.log.With("pion", scope)}
}

// pionLogger is logging.LeveledLogger on slog; trace is dropped.
type pionLogger struct{ log *slog.Logger }

func (l pionLogger) logf(level, format string, args ...any) {
	if l.log.Enabled(context.Background(), slog.LevelDebug) {
		l.log.Debug(fmt.Sprintf(format, args...), "pion_level", level)
	}
}

// The methods of logging.LeveledLogger.

func (l pionLogger) Trace(string)                   {}
func (l pionLogger) Tracef(string, ...any)          {}
func (l pionLogger) Debug(msg string)               { l.logf("debug", "%s", msg) }
func (l pionLogger) Debugf(format string, a ...any) { l.logf("debug", format, a...) }
func (l pionLogger) Info(msg string)                { l.logf("info", "%s", msg) }
func (l pionLogger) Infof(format string, a ...any)  { l.logf("info", format, a...) }
func (l pionLogger) Warn(msg string)                { l.logf("warn", "%s", msg) }
func (l pionLogger) Warnf(format string, a ...any)  { l.logf("warn", format, a...) }
func (l pionLogger) Error(msg string)               { l.logf("error", "%s", msg) }
func (l pionLogger) Errorf(format string, a ...any) { l.logf("error", format, a...) }
