package main

import (
	"fmt"
	"strings"

	"github.com/visite-health/visite/core/errs"
)

// describe turns a use case's error into a line for the operator's terminal
// (the command line speaks English; the web translates).
func describe(err error) error {
	e, ok := errs.As(err)
	if !ok {
		return err
	}
	if len(e.Fields) == 0 {
		return fmt.Errorf("%s", e.Key)
	}
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Key
	}
	return fmt.Errorf("invalid input (%s)", strings.Join(parts, "; "))
}
