// Command visite is the whole Visite platform in one binary: the web server
// with its job worker, scheduler and media rooms (`serve`), or each role
// alone (`api`, `worker`, `media`),
// database migrations (`migrate`), operator commands (`admin`) and a demo
// practice for development (`demo`). Configuration comes from VISITE_*
// environment variables (see the README); `visite help` lists the commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Version and Commit are set at build time with -ldflags.
var (
	Version = "dev"
	Commit  = "unknown"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	useMediaNodeProcs(os.Args[1:], os.Getenv) // the process's own settings, so not in Run, which tests call
	os.Exit(Run(ctx, os.Args[1:], osGetenv, os.Stdout, os.Stderr))
}

// command is one subcommand.
type command struct {
	name, summary string
	run           func(ctx context.Context, e *Env, args []string) error
}

// Env is what a command runs with; tests supply their own.
type Env struct {
	Getenv func(string) string
	Stdout io.Writer
	Stderr io.Writer
	// Ready, when set, receives the web server's address once it listens.
	Ready func(addr string)
}

func commands() []command {
	return []command{
		{"serve", "run everything in one process: web server, job worker and scheduler, media rooms", cmdServe},
		{"api", "run only the web server and JSON API (the api role)", cmdAPI},
		{"worker", "run only the job worker and scheduler (the worker role)", cmdWorker},
		{"media", "run only a media node: the calls' rooms and signalling (the media role)", cmdMedia},
		{"migrate", "apply, roll back or show database migrations (up | down | status)", cmdMigrate},
		{"admin", "operator commands (create-user)", cmdAdmin},
		{"demo", "create the demo practice and print its logins", cmdDemo},
		{"healthcheck", "GET a health URL and exit 0 when it answers 2xx (container health checks)", cmdHealthcheck},
		{"bench", "measure the media node's forwarding cost against this machine's floor (bench media)", cmdBench},
		{"version", "print version and commit", cmdVersion},
	}
}

// Run runs the command named by args[0] and returns the exit code.
func Run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	return RunEnv(ctx, &Env{Getenv: getenv, Stdout: stdout, Stderr: stderr}, args)
}

// RunEnv is Run with a full Env.
func RunEnv(ctx context.Context, e *Env, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(e.Stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, e, args[1:])
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errUsage):
			return 2
		}
		fmt.Fprintf(e.Stderr, "visite %s: %v\n", c.name, err)
		return 1
	}
	fmt.Fprintf(e.Stderr, "visite: unknown command %q\n\n", args[0])
	usage(e.Stderr)
	return 2
}

// errUsage means the flags were wrong; the flag set already said why.
var errUsage = errors.New("usage")

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: visite <command> [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-12s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun `visite <command> --help` for a command's flags. Configuration: VISITE_* environment variables (see README).")
}

// flags returns a flag set that prints its help to e.Stdout.
func flags(e *Env, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet("visite "+name, flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	fs.Usage = func() {
		fs.SetOutput(e.Stdout)
		fmt.Fprintf(e.Stdout, "Usage: visite %s\n\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args and maps flag errors to errUsage.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	return nil
}

func cmdVersion(_ context.Context, e *Env, args []string) error {
	fs := flags(e, "version", "version")
	if err := parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "visite %s (commit %s)\n", Version, Commit)
	return nil
}
