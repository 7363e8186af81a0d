//go:build js && wasm

package main

import (
	"syscall/js"
)

func main() {
	api := map[string]any{
		"version": version(),
		"decode": js.FuncOf(func(_ js.Value, args []js.Value) any {
			if len(args) < 1 || args[0].Type() != js.TypeString {
				return errorReport(errArgument("decode(hex: string, options?)"))
			}
			var o jsOptions
			if len(args) > 1 && args[1].Type() == js.TypeObject {
				o = optionsFromJS(args[1])
			}
			return decodeHex(args[0].String(), o)
		}),
		"checksumTrace": js.FuncOf(func(_ js.Value, args []js.Value) any {
			if len(args) < 1 || args[0].Type() != js.TypeString {
				return marshal(traceResult{Error: errArgument("checksumTrace(hex: string)").Error()})
			}
			return checksumTraceHex(args[0].String())
		}),
		"labBuild": js.FuncOf(func(_ js.Value, args []js.Value) any {
			if len(args) < 1 || args[0].Type() != js.TypeString {
				return labError(errArgument("labBuild(spec: string)"))
			}
			return labBuild(args[0].String())
		}),
		"labAnalyze": js.FuncOf(func(_ js.Value, args []js.Value) any {
			if len(args) < 1 || args[0].Type() != js.TypeString {
				return labError(errArgument("labAnalyze(request: string)"))
			}
			return labAnalyze(args[0].String())
		}),
		"format": js.FuncOf(func(_ js.Value, args []js.Value) any {
			if len(args) < 2 || args[0].Type() != js.TypeString || args[1].Type() != js.TypeString {
				return marshal(formatResult{Error: errArgument("format(hex: string, style: string, name?: string)").Error()})
			}
			name := ""
			if len(args) > 2 && args[2].Type() == js.TypeString {
				name = args[2].String()
			}
			return formatHex(args[0].String(), args[1].String(), name)
		}),
	}
	js.Global().Set("echoscopeWire", js.ValueOf(api))
	select {} // keep the Go runtime alive for the callbacks
}

// optionsFromJS reads the optional members of the options object; members of the wrong
// type read as absent, except family, whose bad values toWire reports.
func optionsFromJS(v js.Value) jsOptions {
	var o jsOptions
	for name, flag := range map[string]*bool{"echoscopePayload": &o.EchoscopePayload, "base64": &o.Base64, "kernelChecksum": &o.KernelChecksum} {
		if p := v.Get(name); p.Type() == js.TypeBoolean {
			*flag = p.Bool()
		}
	}
	if f := v.Get("family"); f.Type() == js.TypeNumber {
		o.Family = f.Int()
	}
	if s := v.Get("src"); s.Type() == js.TypeString {
		o.Src = s.String()
	}
	if d := v.Get("dst"); d.Type() == js.TypeString {
		o.Dst = d.String()
	}
	return o
}
