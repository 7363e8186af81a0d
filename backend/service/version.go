package service

// Version is the application version, set at build time by the Makefile:
// -ldflags "-X echoscope/backend/service.Version=$(git describe --tags --always --dirty)".
var Version = "dev"

// ProductName is shown in the window title and the about line.
const ProductName = "Echoscope"
