package httpapi

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"hash/fnv"
	"strconv"
	"strings"
	"time"

	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/ports"
)

// A call ticket lets one admitted participant into one room of a media
// node. The API signs it after the core said yes (JoinCall); the node
// checks it with the shared secret and needs no database. It lives one
// minute: long enough to connect, too short to pass around.

// ticketTTL is how long a ticket opens its room.
const ticketTTL = time.Minute

// ticketClaims is what a ticket states.
type ticketClaims struct {
	Room        string `json:"r"`
	Practice    string `json:"p"`
	Participant string `json:"u"`
	Name        string `json:"n"`
	Host        bool   `json:"h,omitempty"`
	Expires     int64  `json:"e"` // unix seconds
}

// errBadTicket is every reason a ticket is refused; the node says no more.
var errBadTicket = errors.New("invalid or expired call ticket")

// signTicket returns the ticket for claims: base64url(JSON) "." base64url(HMAC-SHA256).
func signTicket(secret []byte, claims ticketClaims) (string, error) {
	body, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	payload := base64.RawURLEncoding.EncodeToString(body)
	return payload + "." + base64.RawURLEncoding.EncodeToString(ticketMAC(secret, payload)), nil
}

// verifyTicket checks a ticket's signature and expiry at now.
func verifyTicket(secret []byte, ticket string, now time.Time) (ticketClaims, error) {
	payload, sig, ok := strings.Cut(ticket, ".")
	if !ok || len(ticket) > 4096 {
		return ticketClaims{}, errBadTicket
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, ticketMAC(secret, payload)) {
		return ticketClaims{}, errBadTicket
	}
	body, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return ticketClaims{}, errBadTicket
	}
	var c ticketClaims
	if err := json.Unmarshal(body, &c); err != nil || c.Room == "" || c.Participant == "" {
		return ticketClaims{}, errBadTicket
	}
	if now.Unix() >= c.Expires {
		return ticketClaims{}, errBadTicket
	}
	return c, nil
}

func ticketMAC(secret []byte, payload string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("visite-call-ticket\x00"))
	m.Write([]byte(payload))
	return m.Sum(nil)
}

// peer turns verified claims into what the media room is told.
func (c ticketClaims) peer() ports.MediaPeer {
	return ports.MediaPeer{Room: c.Room, ID: c.Participant, Name: c.Name, Host: c.Host}
}

// nodeFor picks the media node of a room by rendezvous hashing: everyone
// of one call lands on the same node, and adding or removing a node moves
// only the rooms that hash to it. Empty nodes: this server.
func nodeFor(nodes []string, room string) string {
	if len(nodes) == 0 {
		return mediaPath
	}
	best, bestScore := nodes[0], uint64(0)
	for _, n := range nodes {
		h := fnv.New64a()
		h.Write([]byte(n))
		h.Write([]byte{0})
		h.Write([]byte(room))
		if s := h.Sum64(); s >= bestScore {
			best, bestScore = n, s
		}
	}
	return best
}

// iceServer is one entry of RTCConfiguration.iceServers.
type iceServer struct {
	URLs       []string `json:"urls"`
	Username   string   `json:"username,omitempty"`
	Credential string   `json:"credential,omitempty"`
}

// turnCredentialTTL is how long TURN credentials work: a long call keeps
// its allocation; a new page load gets new ones.
const turnCredentialTTL = 12 * time.Hour

// iceServers hands the configured STUN and TURN servers to a browser.
// TURN servers get time-limited credentials by the scheme coturn calls
// use-auth-secret: user name = expiry (unix seconds), password =
// base64(HMAC-SHA1(secret, user name)).
func iceServers(urls []string, turnSecret string, now time.Time) []iceServer {
	out := []iceServer{}
	for _, u := range urls {
		s := iceServer{URLs: []string{u}}
		if strings.HasPrefix(u, "turn:") || strings.HasPrefix(u, "turns:") {
			if turnSecret == "" {
				continue // a TURN server without credentials only fails
			}
			s.Username = strconv.FormatInt(now.Add(turnCredentialTTL).Unix(), 10)
			m := hmac.New(sha1.New, []byte(turnSecret))
			m.Write([]byte(s.Username))
			s.Credential = base64.StdEncoding.EncodeToString(m.Sum(nil))
		}
		out = append(out, s)
	}
	return out
}

// SignCallTicket makes the ticket a media node accepts for one participant
// of the consultation cid of practice pid, valid for ttl. The API makes
// them in joinCall; the media benchmark makes its own with the node's
// secret.
func SignCallTicket(secret []byte, pid practice.ID, cid consultation.ID, participant, name string, host bool, ttl time.Duration) (string, error) {
	return signTicket(secret, ticketClaims{Room: RoomKey(pid, cid), Practice: string(pid), Participant: participant,
		Name: name, Host: host, Expires: time.Now().Add(ttl).Unix()})
}
