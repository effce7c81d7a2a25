package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/core/app"
)

// seatsRequest asks for a number of paid seats; without Confirm it only
// asks what they cost.
type seatsRequest struct {
	Quantity int  `json:"quantity"`
	Confirm  bool `json:"confirm"`
}

// seatOfferDTO answers changeSeats without confirm: what the change costs.
type seatOfferDTO struct {
	Seats          int    `json:"seats"`
	Quantity       int    `json:"quantity"`
	AmountDueCents int64  `json:"amount_due_cents"`
	TotalCents     int64  `json:"total_cents"`
	Interval       string `json:"interval"`
	Currency       string `json:"currency"`
}

func toSeatOfferDTO(o app.SeatOffer) seatOfferDTO {
	return seatOfferDTO{Seats: o.Seats, Quantity: o.Quantity, AmountDueCents: int64(o.AmountDue),
		TotalCents: int64(o.Total), Interval: string(o.Interval), Currency: o.Currency}
}

// seatsDTO answers a confirmed changeSeats: the seats now paid.
type seatsDTO struct {
	Seats int `json:"seats"`
}

// apiChangeSeats (changeSeats) prices raising the owner's practice's paid
// seats, or with confirm raises them.
func (s *server) apiChangeSeats(c *gin.Context) {
	var req seatsRequest
	if !s.decodeJSON(c, &req) {
		return
	}
	ctx, me := c.Request.Context(), *meOf(c)
	if !req.Confirm {
		o, err := s.app.PreviewSeats(ctx, me, req.Quantity)
		if err != nil {
			s.fail(c, err)
			return
		}
		c.JSON(http.StatusOK, toSeatOfferDTO(o))
		return
	}
	acc, err := s.app.ChangeSeats(ctx, me, req.Quantity)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, seatsDTO{Seats: acc.Seats()})
}
