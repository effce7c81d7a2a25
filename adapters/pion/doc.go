// Package pionsfu is Visite's selective forwarding unit on Pion WebRTC: it
// implements ports.MediaRooms. One room per consultation takes two to four
// participants; each participant's audio and video go to the others as they
// arrive: never decoded, recorded or stored. A text chat rides on a data
// channel and is relayed, not kept. docs/signalling.md is the protocol.
//
// Design:
//
//   - Pion's API (codecs VP8 and Opus, interceptors for NACK, RTCP reports
//     and TWCC feedback, SRTP with AES-GCM first) is built once in New and
//     shared by every peer connection, as are one UDP socket (ICE UDP mux)
//     and one optional TCP listener (ICE-TCP): a node needs two ports, not
//     a port range. While media flows, that socket is read in bursts
//     (udpconn_linux.go): an empty read waits a millisecond instead of
//     parking, which costs up to that much delay and saves the thread
//     wake-ups that cost the node more than forwarding itself; a burst is
//     one recvmmsg, and reads and writes are raw system calls, since on a
//     non-blocking socket they cannot block.
//   - The server is always the offerer. It owns the set of forwarded tracks,
//     so each join or leave is one server-side change followed by an offer;
//     browsers only answer, which keeps the page simple and rules out glare.
//     Offers are serialized per participant: one in flight, the next queued.
//   - Every (publisher track, subscriber) pair has its own downTrack on the
//     subscriber's connection. Its own SSRC and sequence space, its own
//     RTCP (NACKs are answered per subscriber, keyframe requests reach the
//     publisher) and a switch to drop video for one subscriber only
//     (audio-only mode).
//   - The packet path takes no lock: each published track's goroutine reads
//     into one reused buffer, parses the header once and writes it to a
//     snapshot of its subscribers (an atomic pointer to a slice that joins
//     and leaves replace). Counters are batched; nothing is logged per
//     packet. The room's lock guards only the topology.
//   - Each participant's messages go out through one writer goroutine and
//     a bounded queue, so a slow socket never blocks a room; a client that
//     does not read is dropped.
package pionsfu
