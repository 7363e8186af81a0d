//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
)

// main exists so that `go build ./...` and `go vet ./...` work on every platform; the real
// entry point is main_js.go.
func main() {
	fmt.Fprintln(os.Stderr, "wirewasm is a WebAssembly module: build it with GOOS=js GOARCH=wasm go build -o wire.wasm ./cmd/wirewasm")
	os.Exit(2)
}
