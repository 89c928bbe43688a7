package cover

import "testing"

// TestRaceOn: Prepare counts set-mode probes atomically under -race, given
// among the flags or in GOFLAGS; the last -race flag wins, as in the go
// command.
func TestRaceOn(t *testing.T) {
	for _, tc := range []struct {
		env, flags []string
		want       bool
	}{
		{nil, nil, false},
		{nil, []string{"-tags=x"}, false},
		{nil, []string{"-race"}, true},
		{nil, []string{"--race"}, true},
		{nil, []string{"-race=true"}, true},
		{nil, []string{"-race=false"}, false},
		{nil, []string{"-race", "-race=false"}, false},
		{[]string{"GOFLAGS=-mod=mod -race"}, nil, true},
		{[]string{"GOFLAGS=-race"}, []string{"-race=false"}, false},
		{[]string{"GOFLAGS=-race=false"}, []string{"-race"}, true},
		{nil, []string{"-racey"}, false},
	} {
		if got := raceOn(tc.env, tc.flags); got != tc.want {
			t.Errorf("raceOn(%q, %q) = %v, want %v", tc.env, tc.flags, got, tc.want)
		}
	}
}
