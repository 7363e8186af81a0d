package main

import (
	"os"
	"runtime"
	"strings"
)

// WebKitGTK takes navigator.language from the messages locale (LC_ALL, LC_MESSAGES, LANG).
// Under the C or POSIX locale (containers, servers, minimal desktops: LANG=C.UTF-8) it reports
// "C", which is not a BCP 47 language tag, and the first `new Intl.NumberFormat(navigator.language)`
// throws RangeError. uPlot does exactly that when its module loads, so the whole page failed
// to start and the window stayed blank. Chromium maps C to en-US; do the same for the webview,
// changing only the messages category so collation, numbers and dates keep the user's choice.

// webviewFallbackMessages is the messages locale used when the environment has none.
const webviewFallbackMessages = "en_US.UTF-8"

// localeIsNeutral reports whether a locale name carries no language: "", C, POSIX, C.UTF-8.
func localeIsNeutral(name string) bool {
	lang, _, _ := strings.Cut(name, ".")
	return lang == "" || lang == "C" || lang == "POSIX"
}

// webviewLocaleChanges returns the environment changes that give the webview a language tag,
// or nil when the messages locale already names a language. A value of "" means unset.
func webviewLocaleChanges(getenv func(string) string) map[string]string {
	if all := getenv("LC_ALL"); all != "" {
		if !localeIsNeutral(all) {
			return nil
		}
		// LC_ALL overrides every category; keep its choice for all but messages.
		changes := map[string]string{"LC_ALL": "", "LC_MESSAGES": webviewFallbackMessages}
		if getenv("LANG") == "" || !localeIsNeutral(getenv("LANG")) {
			changes["LANG"] = all
		}
		return changes
	}
	messages := getenv("LC_MESSAGES")
	if messages == "" {
		messages = getenv("LANG")
	}
	if !localeIsNeutral(messages) {
		return nil
	}
	return map[string]string{"LC_MESSAGES": webviewFallbackMessages}
}

// giveWebviewALanguage applies webviewLocaleChanges before GTK and WebKit start (Linux only:
// the other platforms' webviews take the language from the system settings).
func giveWebviewALanguage() {
	if runtime.GOOS != "linux" {
		return
	}
	for name, value := range webviewLocaleChanges(os.Getenv) {
		if value == "" {
			_ = os.Unsetenv(name)
		} else {
			_ = os.Setenv(name, value)
		}
	}
}
