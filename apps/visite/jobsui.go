package main

import (
	"fmt"

	"github.com/hibiken/asynqmon"

	"github.com/visite-health/visite/adapters/httpapi"
)

// newJobsUI is the job monitoring console (asynqmon) the web server shows
// platform admins at /ops/jobs/: queues, running, scheduled, retried and
// failed jobs, with retry and delete. Payloads and results are not shown:
// an email job's payload holds the recipient's address and one-time links
// (password reset, invitation) that nobody but the recipient may see.
// Close it when the server stopped.
func newJobsUI(p *platform) *asynqmon.HTTPHandler {
	hidden := func(_ string, b []byte) string { return fmt.Sprintf("(%d bytes, not shown)", len(b)) }
	return asynqmon.New(asynqmon.Options{RootPath: httpapi.JobsPath, RedisConnOpt: p.redis, ReadOnly: false,
		PayloadFormatter: asynqmon.PayloadFormatterFunc(hidden), ResultFormatter: asynqmon.ResultFormatterFunc(hidden)})
}
