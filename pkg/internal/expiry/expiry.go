// Package expiry gives tests a context whose deadline passes when the test
// says so: a timeout that fires on an event (the request has arrived)
// rather than after a time a loaded machine may outlast.
package expiry

import (
	"context"
	"sync"
)

// Context is a context.Context whose Err, once Expire is called, is
// context.DeadlineExceeded, as for a timeout. A context derived from it
// (context.WithTimeout) ends then too, with the same error.
type Context struct {
	context.Context
	once sync.Once
	done chan struct{}
}

// New returns a Context that has not expired.
func New() *Context {
	return &Context{Context: context.Background(), done: make(chan struct{})}
}

// Expire lets the deadline pass; calling it again does nothing.
func (c *Context) Expire() { c.once.Do(func() { close(c.done) }) }

// Done is closed by Expire.
func (c *Context) Done() <-chan struct{} { return c.done }

// Err is context.DeadlineExceeded after Expire, nil before.
func (c *Context) Err() error {
	select {
	case <-c.done:
		return context.DeadlineExceeded
	default:
		return nil
	}
}
