package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var updateLabFixtures = flag.Bool("update-lab-fixtures", false, "rewrite the frontend's Lab fixtures from the codec")

// TestFrontendLabFixturesMatchTheCodec holds the JSON fixtures that the frontend's Lab unit
// tests read (frontend/src/lib/lab/testdata) to what the codec returns today, so those
// tests cannot drift from the Go code (go test -run LabFixtures -update-lab-fixtures rewrites them).
func TestFrontendLabFixturesMatchTheCodec(t *testing.T) {
	fixtures := map[string]string{
		"lesson-classic.json": labBuild(`{"family":4,"type":8,"id":13,"seq":37,"mode":"classic"}`),
		"lesson-correct.json": labBuild(`{"family":4,"type":8,"id":13,"seq":37,"mode":"correct"}`),
		"odd-length.json":     labBuild(`{"family":4,"type":8,"id":13,"seq":37,"mode":"correct","payloadKind":"hex","payload":"61"}`),
		// A 64-byte packet's rows 10-27 of the walkthrough and 20-37 of the comparison (of 32).
		"windowed-64.json": labBuild(`{"family":4,"type":8,"id":1,"seq":1,"mode":"correct","payloadKind":"pattern","payload":"a5","size":56,` +
			`"window":{"steps":{"from":10,"to":28},"compare":{"from":20,"to":38}}}`),
	}
	dir := filepath.Join("..", "..", "frontend", "src", "lib", "lab", "testdata")
	for name, out := range fixtures {
		var pretty bytes.Buffer
		if err := json.Indent(&pretty, []byte(out), "", "  "); err != nil {
			t.Fatal(err)
		}
		pretty.WriteByte('\n')
		path := filepath.Join(dir, name)
		if *updateLabFixtures {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, pretty.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, pretty.Bytes()) {
			t.Errorf("%s differs from the codec's output; rerun with -update-lab-fixtures", path)
		}
	}
}
