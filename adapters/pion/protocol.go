package pionsfu

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/pion/webrtc/v4"
)

// Version is the signalling protocol's version, the `v` of every message.
const Version = 1

// MaxMessageSize is the largest signalling message the server reads (64 KiB).
const MaxMessageSize = 64 << 10

// MessageType names a signalling message (docs/signalling.md).
type MessageType string

// Messages the server sends.
const (
	TypeWelcome    MessageType = "welcome"
	TypeOffer      MessageType = "offer"
	TypePeerJoined MessageType = "peer-joined"
	TypePeerLeft   MessageType = "peer-left"
	TypePong       MessageType = "pong"
	TypeEnded      MessageType = "ended"
	TypeRemoved    MessageType = "removed"
	TypeReplaced   MessageType = "replaced"
	TypeError      MessageType = "error"
)

// Messages the client sends; TypeCandidate goes both ways.
const (
	TypeAnswer    MessageType = "answer"
	TypeCandidate MessageType = "candidate"
	TypeRestart   MessageType = "restart"
	TypeVideo     MessageType = "video"
	TypePing      MessageType = "ping"
	TypeLeave     MessageType = "leave"
)

// ErrorCode is the `code` of an error message.
type ErrorCode string

// The error codes of docs/signalling.md.
const (
	CodeBadMessage ErrorCode = "bad_message" // not JSON, unknown type, missing field
	CodeTooLarge   ErrorCode = "too_large"   // over MaxMessageSize
	CodeVersion    ErrorCode = "version"     // a `v` other than Version
	CodeRoomFull   ErrorCode = "room_full"   // a fifth participant
	CodeDraining   ErrorCode = "draining"    // the node takes no new rooms
	CodeProtocol   ErrorCode = "protocol"    // an answer without an offer and the like
)

// closesConnection reports whether the server ends the session after
// sending an error with this code.
func (c ErrorCode) closesConnection() bool {
	return c == CodeRoomFull || c == CodeDraining || c == CodeProtocol
}

// MessageError is a client message the server cannot take. Message is safe
// to send back to the client: it never quotes the offending input.
type MessageError struct {
	Code    ErrorCode
	Message string
}

// Error is code and message.
func (e *MessageError) Error() string { return string(e.Code) + ": " + e.Message }

func badMessage(format string, args ...any) *MessageError {
	return &MessageError{Code: CodeBadMessage, Message: fmt.Sprintf(format, args...)}
}

// Candidate is one trickled ICE candidate as browsers write it.
type Candidate struct {
	Candidate     string  `json:"candidate"`
	SDPMid        *string `json:"sdpMid,omitempty"`
	SDPMLineIndex *uint16 `json:"sdpMLineIndex,omitempty"`
}

// FromCandidateInit converts Pion's candidate to its wire form.
func FromCandidateInit(c webrtc.ICECandidateInit) Candidate {
	return Candidate{Candidate: c.Candidate, SDPMid: c.SDPMid, SDPMLineIndex: c.SDPMLineIndex}
}

// ToCandidateInit converts a wire candidate to Pion's form.
func ToCandidateInit(c Candidate) webrtc.ICECandidateInit {
	return webrtc.ICECandidateInit{Candidate: c.Candidate, SDPMid: c.SDPMid, SDPMLineIndex: c.SDPMLineIndex}
}

// ClientMessage is a parsed, validated message from a participant.
type ClientMessage struct {
	Type      MessageType
	SDP       string    // TypeAnswer
	Candidate Candidate // TypeCandidate
	Receive   bool      // TypeVideo
}

// clientWire is a client message as it arrives; pointers tell a missing
// field from an empty one.
type clientWire struct {
	V         int        `json:"v"`
	Type      string     `json:"type"`
	SDP       *string    `json:"sdp,omitempty"`
	Candidate *Candidate `json:"candidate,omitempty"`
	Receive   *bool      `json:"receive,omitempty"`
}

// ParseClientMessage parses and validates one client message. It is pure
// and never panics; every error is a *MessageError (CodeTooLarge,
// CodeBadMessage or CodeVersion).
func ParseClientMessage(data []byte) (ClientMessage, error) {
	if len(data) > MaxMessageSize {
		return ClientMessage{}, &MessageError{Code: CodeTooLarge, Message: "message over 64 KiB"}
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return ClientMessage{}, badMessage("not a JSON object")
	}
	var w clientWire
	if err := json.Unmarshal(trimmed, &w); err != nil {
		return ClientMessage{}, badMessage("not valid JSON or wrong field types")
	}
	if w.V != Version {
		return ClientMessage{}, &MessageError{Code: CodeVersion, Message: "protocol version 1 expected"}
	}
	return fromClientWire(w)
}

func fromClientWire(w clientWire) (ClientMessage, error) {
	m := ClientMessage{Type: MessageType(w.Type)}
	switch m.Type {
	case TypeAnswer:
		if w.SDP == nil || *w.SDP == "" {
			return ClientMessage{}, badMessage("answer without sdp")
		}
		m.SDP = *w.SDP
	case TypeCandidate:
		if w.Candidate == nil {
			return ClientMessage{}, badMessage("candidate without candidate")
		}
		m.Candidate = *w.Candidate
	case TypeVideo:
		if w.Receive == nil {
			return ClientMessage{}, badMessage("video without receive")
		}
		m.Receive = *w.Receive
	case TypeRestart, TypePing, TypeLeave:
	default:
		return ClientMessage{}, badMessage("unknown message type")
	}
	return m, nil
}

// PeerInfo is another participant as the page shows them.
type PeerInfo struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Host bool   `json:"host"`
}

// ServerMessage is a message from the server; which fields are set depends
// on Type (docs/signalling.md). Clients decode it with json.Unmarshal.
type ServerMessage struct {
	V         int         `json:"v"`
	Type      MessageType `json:"type"`
	SDP       string      `json:"sdp,omitempty"`
	Candidate *Candidate  `json:"candidate,omitempty"`
	Self      string      `json:"self,omitempty"`
	Peers     []PeerInfo  `json:"peers,omitzero"`
	Peer      *PeerInfo   `json:"peer,omitempty"`
	ID        string      `json:"id,omitempty"`
	Code      ErrorCode   `json:"code,omitempty"`
	Message   string      `json:"message,omitempty"`
}

// encode marshals m with the protocol version set. ServerMessage holds only
// strings, bools and numbers, so marshalling cannot fail.
func encode(m ServerMessage) []byte {
	m.V = Version
	b, _ := json.Marshal(m)
	return b
}

// EncodeClientMessage is the wire form of a client message, for Go clients.
func EncodeClientMessage(m ClientMessage) []byte {
	w := clientWire{V: Version, Type: string(m.Type)}
	switch m.Type {
	case TypeAnswer:
		w.SDP = &m.SDP
	case TypeCandidate:
		w.Candidate = &m.Candidate
	case TypeVideo:
		w.Receive = &m.Receive
	}
	b, _ := json.Marshal(w) // only strings, bools and numbers: cannot fail
	return b
}
