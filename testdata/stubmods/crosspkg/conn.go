package crosspkg

import (
	"errors"
	"net/netip"
)

// Conn is declared here, with its constructor; its methods are in
// conn_read.go, which does not import net/netip.
type Conn struct {
	addr netip.AddrPort
	buf  []byte
}

// NewConn fails on the zero address.
func NewConn(addr netip.AddrPort) (*Conn, error) {
	if !addr.IsValid() {
		return nil, errors.New("invalid address")
	}
	return &Conn{addr: addr}, nil
}
