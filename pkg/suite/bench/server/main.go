// Command server is the benchmarks' endpoint (pkg/suite/bench, pkg/cli/bench):
// it answers every request after a fixed delay with CORS headers that allow
// the caller's origin, and every preflight's method and headers.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "loopback address to listen on")
	delay := flag.Duration("delay", 20*time.Millisecond, "time taken by every answer")
	flag.Parse()
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(l.Addr().String()) // run.sh reads the port from here
	log.Fatal(http.Serve(l, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(*delay)
		w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		if r.Method == http.MethodOptions { // preflights of any method and headers pass
			w.Header().Set("Access-Control-Allow-Methods", r.Header.Get("Access-Control-Request-Method"))
			w.Header().Set("Access-Control-Allow-Headers", r.Header.Get("Access-Control-Request-Headers"))
		}
		w.Header().Set("Vary", "Origin")
		w.Write([]byte(`{"ok":true}`))
	})))
}
