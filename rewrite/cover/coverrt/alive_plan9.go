package coverrt

// alive cannot tell on Plan 9: a lock is broken only when it is old.
func alive(pid int) bool { return true }
