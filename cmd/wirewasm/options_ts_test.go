package main

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// decode's options object is typed by hand on the page (DecodeOptions in
// frontend/src/lib/wire/types.ts: no bound Go struct describes a JavaScript function's
// argument); its members must be exactly the ones jsOptions reads, or an option the page
// sets would be dropped by encoding/json without a word.
func TestPageDecodeOptionsAreTheOnesDecodeReads(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "..", "frontend", "src", "lib", "wire", "types.ts"))
	if err != nil {
		t.Fatal(err)
	}
	body := regexp.MustCompile(`(?s)export interface DecodeOptions \{\n(.*?)\n\}`).FindSubmatch(src)
	if body == nil {
		t.Fatal("types.ts has no DecodeOptions interface")
	}
	var page []string
	for _, m := range regexp.MustCompile(`(?m)^  (\w+)\?: `).FindAllSubmatch(body[1], -1) {
		page = append(page, string(m[1]))
	}
	var goNames []string
	typ := reflect.TypeFor[jsOptions]()
	for i := range typ.NumField() {
		name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		goNames = append(goNames, name)
	}
	slices.Sort(page)
	slices.Sort(goNames)
	if !slices.Equal(page, goNames) {
		t.Errorf("DecodeOptions on the page has %v; jsOptions reads %v", page, goNames)
	}
}
