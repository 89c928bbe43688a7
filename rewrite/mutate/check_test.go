package mutate

import (
	"context"
	"slices"
	"testing"
	"time"
)

// TestCheckScheduled: kills by the same tests are checked at the 1st, 4th,
// 16th, 64th... kill.
func TestCheckScheduled(t *testing.T) {
	var got []int
	for n := 1; n <= 300; n++ {
		if checkScheduled(n) {
			got = append(got, n)
		}
	}
	if want := []int{1, 4, 16, 64, 256}; !slices.Equal(got, want) {
		t.Errorf("checked kills %v, want %v", got, want)
	}
}

// TestCheckRun: a check runs the tests of the killing run as far as the
// killers, unless those before the killers are slow and the package's
// tests passed together without mutants: then only the killers run, and
// nothing for a crash no test claimed.
func TestCheckRun(t *testing.T) {
	const pkg = "example.com/p"
	slow := &Test{Name: "TestSlow", Package: pkg, Baseline: 2 * time.Second}
	quick := &Test{Name: "TestQuick", Package: pkg, Baseline: 10 * time.Millisecond}
	killer := &Test{Name: "TestKiller", Package: pkg, Baseline: 10 * time.Millisecond}
	newPC := func(together, orderDependent bool) *pkgCoverage {
		pc := &pkgCoverage{tests: []*Test{slow, quick, killer}}
		// The run together is made already: its result is set.
		pc.together.once.Do(func() { pc.together.pass = together })
		if orderDependent {
			pc.orderDependent = map[*Test]bool{quick: true}
		}
		return pc
	}
	for _, tc := range []struct {
		name                     string
		batch                    []*Test
		killedBy                 []string
		together, orderDependent bool
		want                     []string
	}{
		{"slow tests before the killer", []*Test{killer, slow}, []string{pkg + ".TestKiller"}, true, false, []string{"TestKiller"}},
		{"the tests fail together", []*Test{killer, slow}, []string{pkg + ".TestKiller"}, false, false, []string{"TestSlow", "TestKiller"}},
		{"order-dependent tests", []*Test{killer, slow}, []string{pkg + ".TestKiller"}, true, true, []string{"TestSlow", "TestKiller"}},
		{"quick tests before the killer", []*Test{killer, quick}, []string{pkg + ".TestKiller"}, true, false, []string{"TestQuick", "TestKiller"}},
		{"tests after the killer", []*Test{killer, slow, quick}, []string{pkg + ".TestQuick"}, true, false, []string{"TestQuick"}},
		{"a crash no test claimed", []*Test{slow, quick}, nil, true, false, nil},
		{"a quick crash no test claimed", []*Test{quick, killer}, nil, true, false, []string{"TestQuick", "TestKiller"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &runner{}
			m := &Mutant{Package: pkg, KilledBy: tc.killedBy}
			ran, err := r.checkRun(context.Background(), nil, m, newPC(tc.together, tc.orderDependent), tc.batch)
			if err != nil {
				t.Fatal(err)
			}
			if got := names(ran); !slices.Equal(got, tc.want) {
				t.Errorf("check runs %q, want %q", got, tc.want)
			}
		})
	}
}
