package cover

// keyOf and countOf give tests the profile key of a block and its count.
func KeyOfForTest(b Block) string { return blockKey(b) }

// RunMarkerForTest is the marker file name Test puts in GOCOVERDIR.
const RunMarkerForTest = runMarker
