package crosspkg

// Read copies buffered bytes into p.
func (c *Conn) Read(p []byte) (int, error) {
	n := copy(p, c.buf)
	c.buf = c.buf[n:]
	return n, nil
}

// String describes the connection.
func (c *Conn) String() string { return c.addr.String() }
