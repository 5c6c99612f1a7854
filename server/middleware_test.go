package server

import (
	"slices"
	"testing"
)

// TestChainOrder: as in wish, the last middleware listed runs first.
func TestChainOrder(t *testing.T) {
	var got []string
	mark := func(name string) middleware {
		return func(next handler) handler {
			return func(sess *session) {
				got = append(got, name)
				next(sess)
				got = append(got, "/"+name)
			}
		}
	}
	h := chain(func(*session) { got = append(got, "dispatch") }, mark("inner"), mark("outer"))
	h(&session{})
	if want := []string{"outer", "inner", "dispatch", "/inner", "/outer"}; !slices.Equal(got, want) {
		t.Errorf("ran %q, want %q", got, want)
	}
}
