package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/prometheus/client_golang/prometheus"
)

// buildInfo is what the binary knows of how it was built, from
// debug.ReadBuildInfo: the module version, and the VCS revision and its
// commit time as `go build` stamped them (a build inside a git checkout;
// not from a git worktree, nor with -buildvcs=false).
type buildInfo struct {
	Version  string // "(devel)" for a build of a checkout
	Revision string // "" when not stamped
	Time     string // the revision's commit time, RFC 3339
	Modified bool   // the checkout had uncommitted changes
	Go       string
	CGO      string // the CGO_ENABLED the binary was built with
}

func readBuildInfo() buildInfo {
	b := buildInfo{Version: "unknown", Go: runtime.Version()}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return b
	}
	if bi.Main.Version != "" {
		b.Version = bi.Main.Version
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Revision = s.Value
		case "vcs.time":
			b.Time = s.Value
		case "vcs.modified":
			b.Modified = s.Value == "true"
		case "CGO_ENABLED":
			b.CGO = s.Value
		}
	}
	return b
}

// String is the line `saathi version` prints.
func (b buildInfo) String() string {
	rev := b.Revision
	switch {
	case rev == "":
		rev = "unknown (built without VCS information)"
	case b.Modified:
		rev += " (modified)"
	}
	at := b.Time
	if at == "" {
		at = "unknown"
	}
	return fmt.Sprintf("saathi %s revision %s, committed %s, %s, CGO_ENABLED=%s", b.Version, rev, at, b.Go, b.CGO)
}

func runVersion(_ context.Context, e env, args []string) error {
	fs, cfgOf := commandFlags(e, "version")
	if _, err := parseFlags(fs, cfgOf, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageHint("saathi version")
	}
	fmt.Fprintln(e.stdout, readBuildInfo())
	return nil
}

// buildInfoGauge is saathi_build_info: 1, labelled with the build.
func buildInfoGauge(b buildInfo) prometheus.Collector {
	g := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "saathi_build_info",
		Help: "Always 1; the labels say which build is running.",
	}, []string{"version", "revision", "goversion"})
	g.WithLabelValues(b.Version, b.Revision, b.Go).Set(1)
	return g
}
