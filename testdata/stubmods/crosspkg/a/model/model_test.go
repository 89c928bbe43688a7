package model

import "testing"

func TestValid(t *testing.T) {
	if (User{}).Valid() {
		t.Error("empty user is valid")
	}
}
