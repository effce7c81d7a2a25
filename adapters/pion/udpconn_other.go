//go:build !unix

package pionsfu

import "net"

// newMuxConn is the shared socket itself where reading in bursts
// (udpconn.go) is not implemented.
func newMuxConn(c *net.UDPConn) (net.PacketConn, error) {
	return c, nil
}
