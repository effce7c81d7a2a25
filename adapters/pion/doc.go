// Package pionsfu is Visite's selective forwarding unit on Pion WebRTC: it
// implements ports.MediaRooms. One room per consultation takes two to four
// participants; each participant's audio and video go to the others as they
// arrive: never decoded, recorded or stored. A text chat rides on a data
// channel and is relayed, not kept. docs/signalling.md is the protocol.
//
// Design:
//
//   - Pion's API (codecs VP8 and Opus, the feedback the node offers, SRTP
//     with AES-GCM first, no interceptors) is built once in New and shared
//     by every peer connection, as are one UDP socket (ICE UDP mux) and
//     one optional TCP listener (ICE-TCP): a node needs two ports, not a
//     port range.
//   - The data plane (plane.go) forwards the media: once a connection's
//     DTLS handshake is done and its ICE pair runs over UDP, the socket's
//     one reading goroutine decrypts that connection's RTP itself and, for
//     each subscriber, encrypts and sends it, with no hand-off between
//     goroutines; Pion keeps ICE, DTLS, the chat's SCTP, RTCP and ICE-TCP
//     connections. The node's own RTCP (congestion feedback, receiver
//     reports, passed-on sender reports, retransmissions) is in
//     feedback.go. A packet the plane forwards to a subscriber that Pion
//     carries (ICE-TCP) is handed to that subscriber's own writer
//     (handoff.go): a stalled TCP connection must not hold up the plane,
//     and with it every call on the node. VISITE_MEDIA_PION_PATH
//     (Config.PionForwarding) turns the plane off.
//   - The socket (udpconn_linux.go) is outside Go's poller, so that
//     packets arriving while the reader pauses wake no thread: while media
//     flows it is read in bursts (one recvmmsg after a pause of a
//     millisecond), which costs up to that much delay and saves the thread
//     wake-ups that cost the node more than forwarding itself; reads and
//     writes are raw system calls, since on a non-blocking socket they
//     cannot block.
//   - The server is always the offerer. It owns the set of forwarded tracks,
//     so each join or leave is one server-side change followed by an offer;
//     browsers only answer, which keeps the page simple and rules out glare.
//     Offers are serialized per participant: one in flight, the next queued.
//   - Every (publisher track, subscriber) pair has its own downTrack on the
//     subscriber's connection: its own SSRC, its own RTCP (NACKs are
//     answered from the track's history, keyframe requests reach the
//     publisher) and a switch to drop video for one subscriber only
//     (audio-only mode).
//   - The packet path takes no room lock: each packet is parsed once and
//     written to a snapshot of its track's subscribers (an atomic pointer
//     to a slice that joins and leaves replace); the plane finds the
//     connection and the track in copy-on-write maps. Counters are
//     batched; nothing is logged per packet. The room's lock guards only
//     the topology.
//   - Each participant's messages go out through one writer goroutine and
//     a bounded queue, so a slow socket never blocks a room; a client that
//     does not read is dropped.
package pionsfu
