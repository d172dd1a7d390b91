package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/saathi-bot/saathi/store/roster"
)

// loadDesignations reads the built-in designations and, when flowsDir is
// set, the *.yaml files of its designations/ subdirectory (in name order),
// which add designations or relabel built-in ones by id.
func loadDesignations(flowsDir string) (*roster.Designations, error) {
	if flowsDir == "" {
		return roster.BuiltinDesignations(), nil
	}
	files, err := filepath.Glob(filepath.Join(flowsDir, "designations", "*.yaml"))
	if err != nil {
		return nil, fmt.Errorf("designations: %w", err)
	}
	slices.Sort(files)
	extra := make([][]byte, 0, len(files))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("designations: %w", err)
		}
		extra = append(extra, data)
	}
	ds, err := roster.LoadDesignations(extra...)
	if err != nil {
		return nil, fmt.Errorf("SAATHI_FLOWS_DIR %q: designations (files %v after the built-in one): %w", flowsDir, files, err)
	}
	return ds, nil
}
