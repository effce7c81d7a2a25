package main

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// cmdHealthcheck asks one URL and exits 0 on a 2xx answer: the container
// health check of images without a shell or curl (see deploy/compose.yaml).
func cmdHealthcheck(ctx context.Context, e *Env, args []string) error {
	fs := flags(e, "healthcheck", "healthcheck URL\n\nGETs URL (such as http://127.0.0.1:8080/readyz) and exits 0 on a 2xx answer, 1 otherwise, within 5 seconds.")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fs.Arg(0), nil)
	if err != nil {
		return fmt.Errorf("bad URL: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("%s answered %s", fs.Arg(0), resp.Status)
	}
	fmt.Fprintln(e.Stdout, "ok")
	return nil
}
