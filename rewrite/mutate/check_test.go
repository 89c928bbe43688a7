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
// tests passed together without mutants: then only the killers run.
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
		batch, killers           []*Test
		together, orderDependent bool
		want                     []string
	}{
		{"slow tests before the killer", []*Test{killer, slow}, []*Test{killer}, true, false, []string{"TestKiller"}},
		{"the tests fail together", []*Test{killer, slow}, []*Test{killer}, false, false, []string{"TestSlow", "TestKiller"}},
		{"order-dependent tests", []*Test{killer, slow}, []*Test{killer}, true, true, []string{"TestSlow", "TestKiller"}},
		{"quick tests before the killer", []*Test{killer, quick}, []*Test{killer}, true, false, []string{"TestQuick", "TestKiller"}},
		{"tests after the killer", []*Test{killer, slow, quick}, []*Test{quick}, true, false, []string{"TestQuick"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &runner{}
			pc := newPC(tc.together, tc.orderDependent)
			ran := ranUntil(tc.batch, tc.killers, pc.tests)
			check, err := r.checkRun(context.Background(), nil, pc, tc.killers, ran)
			if err != nil {
				t.Fatal(err)
			}
			if got := names(check); !slices.Equal(got, tc.want) {
				t.Errorf("check runs %q, want %q", got, tc.want)
			}
		})
	}
}
