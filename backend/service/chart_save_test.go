package service

import (
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestSaveChart(t *testing.T) {
	dir := t.TempDir()
	d := &fakeDialogs{savePath: filepath.Join(dir, "rtt.svg")}
	svc := newServiceWithDialogs(t, dir, d)
	svg := `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><polyline points="0,0 5,5"/></svg>`
	res, err := svc.SaveChart(ChartSVG, svg, "echoscope-127.0.0.1-rtt.svg")
	if err != nil || res.Path != d.savePath || res.Bytes != int64(len(svg)) {
		t.Fatalf("SaveChart svg: %+v, %v", res, err)
	}
	if got, _ := os.ReadFile(d.savePath); string(got) != svg {
		t.Fatalf("file holds %q", got)
	}
	if d.asked[0] != "echoscope-127.0.0.1-rtt.svg" || d.filters[0][0].Pattern != "*.svg" {
		t.Errorf("dialog asked %v with %v", d.asked, d.filters)
	}

	png := append([]byte("\x89PNG\r\n\x1a\n"), 0, 0, 0, 13)
	d.savePath = filepath.Join(dir, "rtt.png")
	if res, err = svc.SaveChart(ChartPNG, "data:image/png;base64,"+base64.StdEncoding.EncodeToString(png), ""); err != nil || res.Bytes != int64(len(png)) {
		t.Fatalf("SaveChart png: %+v, %v", res, err)
	}
	if d.asked[1] != "echoscope-rtt.png" {
		t.Errorf("default name %q", d.asked[1])
	}

	for _, bad := range []struct{ format, content string }{
		{ChartPNG, base64.StdEncoding.EncodeToString([]byte("<svg></svg>"))}, // an SVG is not a PNG
		{ChartPNG, "not base64!"},
		{ChartSVG, "<html></html>"},
		{"gif", "GIF89a"},
	} {
		if _, err := svc.SaveChart(bad.format, bad.content, ""); !errors.Is(err, ErrInvalidRequest) {
			t.Errorf("SaveChart(%s, %.12q): %v, want ErrInvalidRequest", bad.format, bad.content, err)
		}
	}
	d.savePath = ""
	if res, err := svc.SaveChart(ChartSVG, svg, ""); err != nil || !res.Cancelled {
		t.Errorf("cancelled dialog: %+v, %v", res, err)
	}
}
