package expiry

import (
	"context"
	"errors"
	"testing"
	"time"
)

// A context derived from it ends when Expire is called, with
// DeadlineExceeded, as when its own timeout passes.
func TestExpireEndsDerivedContexts(t *testing.T) {
	c := New()
	child, cancel := context.WithTimeout(c, time.Hour)
	defer cancel()
	if c.Err() != nil || child.Err() != nil {
		t.Fatalf("expired before Expire: %v, %v", c.Err(), child.Err())
	}
	c.Expire()
	c.Expire()
	<-child.Done()
	if !errors.Is(c.Err(), context.DeadlineExceeded) || !errors.Is(child.Err(), context.DeadlineExceeded) {
		t.Errorf("after Expire: %v, %v; want context.DeadlineExceeded", c.Err(), child.Err())
	}
}
