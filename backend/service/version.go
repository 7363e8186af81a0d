package service

// Version and Commit are stamped at build time by the Makefile and scripts/dist.sh:
// -ldflags "-X echoscope/backend/service.Version=$(scripts/version.sh)
// -X echoscope/backend/service.Commit=$(git rev-parse --short HEAD)".
// scripts/version.sh turns the git tag into the version the packages carry (v1.2.3 -> 1.2.3).
var (
	Version = "dev"
	Commit  = ""
)

// ProductName is shown in the window title and the about line.
const ProductName = "Echoscope"
