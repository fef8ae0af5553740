// Command profdistrict evaluates every history of a JSON Lines file on one pack, on one
// goroutine, with a CPU and a memory profile: the engine's share of `attendance report`,
// without reading CSV or writing output.
//
//	go run ./internal/profdistrict -pack il-roe-sop -as-of 2025-05-16 -cpuprofile cpu.out histories.jsonl
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/rollcall-go/rollcall"
	"github.com/rollcall-go/rollcall/calendar"
)

func main() {
	pack := flag.String("pack", "il-roe-sop", "")
	asOf := flag.String("as-of", "", "")
	cpu := flag.String("cpuprofile", "", "")
	mem := flag.String("memprofile", "", "")
	flag.Parse()
	e, err := rollcall.Open(*pack)
	if err != nil {
		panic(err)
	}
	at, _ := calendar.ParseDate(*asOf)
	f, err := os.Open(flag.Arg(0))
	if err != nil {
		panic(err)
	}
	var hs []*rollcall.History
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		h, err := rollcall.DecodeHistory(sc.Bytes(), "x")
		if err != nil {
			panic(err)
		}
		hs = append(hs, h)
	}
	if *cpu != "" {
		pf, _ := os.Create(*cpu)
		pprof.StartCPUProfile(pf)
		defer pprof.StopCPUProfile()
	}
	start := time.Now()
	due := 0
	for _, h := range hs {
		ev, _ := e.Evaluate(h, at)
		due += len(ev.Due)
	}
	el := time.Since(start)
	fmt.Printf("%d histories, %d due, %v, %.1f µs each\n", len(hs), due, el, float64(el.Microseconds())/float64(len(hs)))
	if *mem != "" {
		mf, _ := os.Create(*mem)
		runtime.GC()
		pprof.WriteHeapProfile(mf)
		mf.Close()
	}
}
