package service

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"strings"
)

// Chart image formats SaveChart writes.
const (
	ChartPNG = "png"
	ChartSVG = "svg"
)

// maxChartBytes bounds what the page may hand over: a chart canvas as PNG is well under it.
const maxChartBytes = 32 << 20

var chartFilters = map[string]FileFilter{
	ChartPNG: {DisplayName: "PNG image (*.png)", Pattern: "*.png"},
	ChartSVG: {DisplayName: "SVG drawing (*.svg)", Pattern: "*.svg"},
}

// SaveChart asks where to save the RTT chart (the native save dialog) and writes it. The
// page renders the image: "png" content is the canvas as base64 (a data: URL prefix is
// accepted), "svg" content the SVG document. A cancelled dialog resolves with Cancelled.
func (s *PingService) SaveChart(format, content, defaultName string) (ExportResult, error) {
	data, err := chartBytes(format, content)
	if err != nil {
		return ExportResult{}, err
	}
	if defaultName == "" || strings.ContainsAny(defaultName, `/\`) {
		defaultName = "echoscope-rtt." + format
	}
	path, err := s.cfg.Dialogs.SaveFile("Save the RTT chart", defaultName, []FileFilter{chartFilters[format]})
	if err != nil {
		return ExportResult{}, fmt.Errorf("%w: %w", ErrExport, err)
	}
	if path == "" {
		return ExportResult{Cancelled: true, Format: format}, nil
	}
	_, size, err := writeAtomically(path, func(w io.Writer) (int, error) {
		_, err := w.Write(data)
		return 1, err
	})
	if err != nil {
		return ExportResult{}, fmt.Errorf("%w: %w", ErrExport, err)
	}
	return ExportResult{Path: path, Format: format, Bytes: size}, nil
}

// chartBytes checks that content is what format says: a PNG, or an SVG document.
func chartBytes(format, content string) ([]byte, error) {
	if len(content) > maxChartBytes {
		return nil, invalidRequest("chart image of %d bytes: more than %d", len(content), maxChartBytes)
	}
	switch format {
	case ChartPNG:
		b64 := content
		if i := strings.Index(b64, ","); strings.HasPrefix(b64, "data:") && i >= 0 {
			b64 = b64[i+1:]
		}
		data, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			return nil, invalidRequest("chart PNG: not base64: %v", err)
		}
		if !bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")) {
			return nil, invalidRequest("chart PNG: the data is not a PNG image")
		}
		return data, nil
	case ChartSVG:
		if !strings.HasPrefix(strings.TrimSpace(content), "<svg") || !strings.Contains(content, "</svg>") {
			return nil, invalidRequest("chart SVG: not an <svg> document")
		}
		return []byte(content), nil
	}
	return nil, invalidRequest("chart format %q: want png or svg", format)
}
