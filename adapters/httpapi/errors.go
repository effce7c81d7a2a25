package httpapi

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/lang"
)

// statusOf is the one table from error codes to HTTP statuses.
var statusOf = map[errs.Code]int{
	errs.Invalid:         http.StatusUnprocessableEntity,
	errs.NotFound:        http.StatusNotFound,
	errs.Conflict:        http.StatusConflict,
	errs.Unauthenticated: http.StatusUnauthorized,
	errs.Forbidden:       http.StatusForbidden,
	errs.Gone:            http.StatusGone,
	errs.RateLimited:     http.StatusTooManyRequests,
	errs.Internal:        http.StatusInternalServerError,
}

// httpStatus maps a code through statusOf; unknown codes are 500.
func httpStatus(code errs.Code) int {
	if st, ok := statusOf[code]; ok {
		return st
	}
	return http.StatusInternalServerError
}

// errInternal is what users see of any failure that is not theirs.
var errInternal = errs.E(errs.Internal, "internal")

// errNotFound answers unknown routes and ids.
var errNotFound = errs.E(errs.NotFound, "not_found")

// codeInvalidJSON is the API's code for a body that is not the JSON expected.
const codeInvalidJSON = "invalid_json"

// publicError returns the *errs.Error to show for err. Anything else, and
// Internal errors, become the generic errInternal; they are logged with the
// request id (Visite's error strings never hold personal data).
func (s *server) publicError(c *gin.Context, err error) *errs.Error {
	e, ok := errs.As(err)
	if !ok || e.Code == errs.Internal {
		s.logger(c).Error("request failed", "route", routeOf(c), "err", err.Error())
		return errInternal
	}
	return e
}

// fail answers err: JSON for the API, an error page otherwise.
func (s *server) fail(c *gin.Context, err error) {
	e := s.publicError(c, err)
	status := httpStatus(e.Code)
	setRetryAfter(c, e)
	if isAPI(c) {
		c.JSON(status, toErrorDTO(langOf(c), e))
		return
	}
	s.renderError(c, status, e)
}

// setRetryAfter adds Retry-After (whole seconds) to rate-limited answers.
func setRetryAfter(c *gin.Context, e *errs.Error) {
	if e.Code == errs.RateLimited && e.RetryAfter > 0 {
		c.Header("Retry-After", strconv.Itoa(retrySeconds(e)))
	}
}

// retrySeconds rounds the wait up to whole seconds, at least one.
func retrySeconds(e *errs.Error) int {
	n := int((e.RetryAfter + 999_999_999) / 1_000_000_000)
	if n < 1 {
		n = 1
	}
	return n
}

// message translates an error's key; rate limits say when to retry.
func message(l lang.Lang, e *errs.Error) string {
	if e.Code == errs.RateLimited {
		return tr(l, e.Key, "wait", waitText(l, e.RetryAfter))
	}
	return tr(l, e.Key)
}

// errorDTO is the JSON error body.
type errorDTO struct {
	Code              string          `json:"code"`
	Message           string          `json:"message"`
	Fields            []fieldErrorDTO `json:"fields,omitempty"`
	RetryAfterSeconds int             `json:"retry_after_seconds,omitempty"`
}

// fieldErrorDTO is one field's problem.
type fieldErrorDTO struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func toErrorDTO(l lang.Lang, e *errs.Error) errorDTO {
	out := errorDTO{Code: string(e.Code), Message: message(l, e)}
	for _, f := range e.Fields {
		out.Fields = append(out.Fields, fieldErrorDTO{Field: f.Field, Message: tr(l, f.Key)})
	}
	if e.Code == errs.RateLimited {
		out.RetryAfterSeconds = retrySeconds(e)
	}
	return out
}

// failInvalidJSON answers an API body that does not decode.
func (s *server) failInvalidJSON(c *gin.Context) {
	c.JSON(http.StatusBadRequest, errorDTO{Code: codeInvalidJSON, Message: tr(langOf(c), "api.invalid_json")})
}

// notFound answers unknown routes.
func (s *server) notFound(c *gin.Context) {
	s.fail(c, errNotFound)
}
