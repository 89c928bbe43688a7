package q

// Ugly is not gofmt-clean: blocks share lines.
func Ugly(x int) int { if x > 0 { return 1 } else if x < 0 { return -1 }; switch x { case 0: return 0 }; return 2 }
