//go:build !(386 || amd64)

package coverrt

import "sync/atomic"

// publish makes the chunk's first n slots visible to a flush on another
// CPU: a release store, so that the slots' stores are seen first (a plain
// store could be seen before them here).
func publish(c *chunk, n int32) { atomic.StoreInt32(&c.n, n) }
