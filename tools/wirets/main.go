// Command wirets writes the TypeScript interfaces of the decode report
// (frontend/src/lib/wire/generated.ts) from the Go structs of backend/wire, so the page's
// types have one source: the JSON the WebAssembly codec produces is these structs marshalled.
// `make bindings` runs it from the repository root; its test fails when the committed file
// differs from what it would write.
package main

import (
	"flag"
	"fmt"
	"os"
	"reflect"

	"echoscope/backend/wire"
)

// roots are the types the page reads from the codec; the structs they reach come along.
var roots = []reflect.Type{reflect.TypeFor[wire.Report]()}

const (
	defaultOut = "frontend/src/lib/wire/generated.ts"
	defaultSrc = "backend/wire"
)

func main() {
	out := flag.String("o", defaultOut, "the TypeScript file to write")
	src := flag.String("src", defaultSrc, "the Go package's directory (for doc comments)")
	flag.Parse()
	data, err := generate(roots, *src)
	if err == nil {
		err = writeIfChanged(*out, data)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "wirets:", err)
		os.Exit(1)
	}
}
