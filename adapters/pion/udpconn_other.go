//go:build !linux

package pionsfu

import "net"

// listenUDP binds the node's shared UDP socket. Reading in bursts and the
// data plane (udpconn_linux.go) are Linux only: elsewhere Pion forwards
// every packet.
func listenUDP(addr *net.UDPAddr, _ bool) (net.PacketConn, *plane, error) {
	c, err := net.ListenUDP("udp4", addr)
	if err != nil {
		return nil, nil, err
	}
	// Every call's packets pass this one socket: large buffers ride out
	// bursts such as keyframes.
	_ = c.SetReadBuffer(udpBufferSize)
	_ = c.SetWriteBuffer(udpBufferSize)
	return c, nil, nil
}
