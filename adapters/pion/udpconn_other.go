//go:build !linux

package pionsfu

import "net"

// newMuxConn is the shared socket itself where reading in bursts
// (udpconn_linux.go) is not implemented.
func newMuxConn(c *net.UDPConn) (net.PacketConn, error) {
	return c, nil
}
