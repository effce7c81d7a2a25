package errs_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/visite-health/visite/core/errs"
)

func TestCodeOfSeesThroughWrapping(t *testing.T) {
	wrapped := fmt.Errorf("load: %w", errs.E(errs.NotFound, "not_found"))
	cases := []struct {
		err  error
		want errs.Code
	}{
		{nil, ""},
		{errors.New("disk on fire"), errs.Internal},
		{wrapped, errs.NotFound},
		{errs.RateLimit(0), errs.RateLimited},
	}
	for _, c := range cases {
		if got := errs.CodeOf(c.err); got != c.want {
			t.Errorf("CodeOf(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}

func TestValidationCollectsInOrder(t *testing.T) {
	var v errs.Validation
	if v.Err() != nil {
		t.Fatal("empty validation must be nil")
	}
	v.Add("name", "name.length")
	v.Check("email", errs.Field("x", "email.invalid"))
	v.Check("ok", nil)
	v.Check("other", errors.New("boom"))
	e, _ := errs.As(v.Err())
	want := []errs.FieldError{{"name", "name.length"}, {"email", "email.invalid"}, {"other", "invalid"}}
	if e.Code != errs.Invalid || len(e.Fields) != len(want) {
		t.Fatalf("got %+v", e)
	}
	for i := range want {
		if e.Fields[i] != want[i] {
			t.Errorf("field %d = %+v, want %+v", i, e.Fields[i], want[i])
		}
	}
}
