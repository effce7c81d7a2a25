package httpapi

import (
	"net/url"
	"strconv"
)

// pager is the pagination of a list page: which rows of how many it
// shows and the links to the pages before and after. Label and Empty are
// catalogue keys: the navigation's name and the text for a page past the
// end. The partial "pagination" renders it.
type pager struct {
	From, To, Total    int
	PrevHref, NextHref string
	Label, Empty       string
}

// newPager is the pager of page (from 1) of a list of total rows, size a
// page, shown of them on this one; href is the address of another page.
func newPager(label, empty string, page, size, shown, total int, href func(page int) string) pager {
	p := pager{Total: total, Label: label, Empty: empty}
	if shown > 0 {
		p.From = (page-1)*size + 1
		p.To = p.From + shown - 1
	}
	if page > 1 {
		p.PrevHref = href(page - 1)
	}
	if page*size < total {
		p.NextHref = href(page + 1)
	}
	return p
}

// filteredHref returns the address of a page of the list at path, whose
// query holds filters (empty values left out) and the page number.
func filteredHref(path string, filters ...string) func(page int) string {
	return func(page int) string {
		vals := url.Values{}
		for i := 0; i+1 < len(filters); i += 2 {
			if filters[i+1] != "" {
				vals.Set(filters[i], filters[i+1])
			}
		}
		if page > 1 {
			vals.Set("page", strconv.Itoa(page))
		}
		if len(vals) == 0 {
			return path
		}
		return path + "?" + vals.Encode()
	}
}
