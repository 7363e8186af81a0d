// Package jsonhead holds what every --json object of echoscope-ping shares, whichever mode
// wrote it (one target, the fping mode, trace): the schema version, the "schema" and "type"
// that start each object, and the failure object (docs/cli-json.md).
package jsonhead

import "time"

// SchemaVersion is the "schema" of every --json object (docs/cli-json.md). It changes only
// when a field changes meaning or goes away; new fields may appear within a version.
const SchemaVersion = 1

// Head starts every object.
type Head struct {
	Schema int    `json:"schema"`
	Type   string `json:"type"`
}

// Of is the head of an object of type typ.
func Of(typ string) Head { return Head{Schema: SchemaVersion, Type: typ} }

// Failure is the only object (after the start object, if any) of a run that could not start
// or failed at once.
type Failure struct {
	Head
	Time     time.Time `json:"time"`
	Error    string    `json:"error"`
	ExitCode int       `json:"exit_code"`
}

// NewFailure is the failure object of msg, written at t, for a run that exits with code.
func NewFailure(t time.Time, msg string, code int) Failure {
	return Failure{Head: Of("failure"), Time: t, Error: msg, ExitCode: code}
}
