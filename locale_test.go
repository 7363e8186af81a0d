package main

import (
	"maps"
	"testing"
)

func TestWebviewLocaleChanges(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want map[string]string
	}{
		{"no locale at all", map[string]string{}, map[string]string{"LC_MESSAGES": "en_US.UTF-8"}},
		{"LANG=C.UTF-8 (Debian containers)", map[string]string{"LANG": "C.UTF-8"}, map[string]string{"LC_MESSAGES": "en_US.UTF-8"}},
		{"LANG=POSIX", map[string]string{"LANG": "POSIX"}, map[string]string{"LC_MESSAGES": "en_US.UTF-8"}},
		{"a real language is kept", map[string]string{"LANG": "de_DE.UTF-8"}, nil},
		{"LC_MESSAGES decides over LANG", map[string]string{"LANG": "C", "LC_MESSAGES": "fr_FR.UTF-8"}, nil},
		{"neutral LC_MESSAGES despite a LANG", map[string]string{"LANG": "de_DE.UTF-8", "LC_MESSAGES": "C"}, map[string]string{"LC_MESSAGES": "en_US.UTF-8"}},
		{"LC_ALL with a language wins", map[string]string{"LC_ALL": "sv_SE.UTF-8", "LANG": "C"}, nil},
		{"LC_ALL=C keeps C for the other categories", map[string]string{"LC_ALL": "C"},
			map[string]string{"LC_ALL": "", "LANG": "C", "LC_MESSAGES": "en_US.UTF-8"}},
		{"LC_ALL=C beside a neutral LANG", map[string]string{"LC_ALL": "C", "LANG": "C.UTF-8"},
			map[string]string{"LC_ALL": "", "LC_MESSAGES": "en_US.UTF-8"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := webviewLocaleChanges(func(k string) string { return tt.env[k] })
			if !maps.Equal(got, tt.want) {
				t.Errorf("webviewLocaleChanges(%v) = %v, want %v", tt.env, got, tt.want)
			}
		})
	}
}
