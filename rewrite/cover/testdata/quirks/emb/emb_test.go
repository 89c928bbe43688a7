package emb

import (
	"strings"
	"testing"
)

func TestSelf(t *testing.T) {
	if !strings.HasPrefix(Self, "package emb\n") {
		t.Fatalf("embedded source changed:\n%s", Self)
	}
	if Lines(Self) != 12 {
		t.Fatal(Lines(Self))
	}
}
