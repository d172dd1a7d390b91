package main

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// repoFile reads a file of the repository by its path from the root.
func repoFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", path))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// The Dockerfile builds what a release build is, where docker build cannot
// run (no daemon here, no network in CI): a static binary of ./cmd/saathi
// (CGO_ENABLED=0) on a distroless static base, run by a user other than
// root, the ENTRYPOINT the file the build stage made; and no embedded file
// (flows, locales, Lua scripts, the sample roster) is left out of the
// build context by .dockerignore.
func TestDockerfileBuildsTheStaticBinary(t *testing.T) {
	df := repoFile(t, "Dockerfile")
	var build, final []string
	stage := 0
	for _, l := range strings.Split(df, "\n") {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "FROM ") {
			stage++
		}
		switch stage {
		case 1:
			build = append(build, l)
		case 2:
			final = append(final, l)
		}
	}
	if stage != 2 {
		t.Fatalf("the Dockerfile has %d stages, want a build stage and a final one", stage)
	}
	buildText := strings.Join(build, "\n")
	goBuild := regexp.MustCompile(`CGO_ENABLED=0 [^\n]*go build [^\n]*-o (\S+) \./cmd/saathi`).FindStringSubmatch(buildText)
	if goBuild == nil {
		t.Fatalf("the build stage does not run CGO_ENABLED=0 go build -o … ./cmd/saathi:\n%s", buildText)
	}
	if !strings.Contains(buildText, "COPY . .") || !strings.Contains(buildText, "COPY go.mod go.sum ./") {
		t.Error("the build stage does not copy the module")
	}
	if !strings.HasPrefix(final[0], "FROM gcr.io/distroless/static") {
		t.Errorf("the final base is %q, want distroless/static", final[0])
	}
	var user, entry, copied string
	for _, l := range final {
		if u, ok := strings.CutPrefix(l, "USER "); ok {
			user = u
		}
		if e, ok := strings.CutPrefix(l, "ENTRYPOINT "); ok {
			entry = e
		}
		if m := regexp.MustCompile(`^COPY --from=build (\S+) (\S+)$`).FindStringSubmatch(l); m != nil && m[1] == goBuild[1] {
			copied = m[2]
		}
	}
	if user == "" || strings.HasPrefix(user, "0") || strings.HasPrefix(user, "root") {
		t.Errorf("the container runs as %q, want a user other than root", user)
	}
	if copied == "" || entry != `["`+copied+`"]` {
		t.Errorf("ENTRYPOINT %s, but the binary is copied to %q", entry, copied)
	}
	if _, err := os.Stat(filepath.Join("..", "..", "cmd", "saathi", "main.go")); err != nil {
		t.Fatal(err)
	}

	// .dockerignore keeps no embedded file out of the context.
	var ignore []string
	sc := bufio.NewScanner(strings.NewReader(repoFile(t, ".dockerignore")))
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" && !strings.HasPrefix(l, "#") {
			ignore = append(ignore, l)
		}
	}
	root := filepath.Join("..", "..")
	embeds := 0
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range regexp.MustCompile(`(?m)^//go:embed (.+)$`).FindAllStringSubmatch(string(src), -1) {
			for _, pat := range strings.Fields(m[1]) {
				files, _ := filepath.Glob(filepath.Join(filepath.Dir(path), pat))
				if len(files) == 0 {
					t.Errorf("%s embeds %s, which matches nothing", path, pat)
				}
				for _, f := range files {
					embeds++
					rel, _ := filepath.Rel(root, f)
					for _, ig := range ignore {
						if ok, _ := filepath.Match(strings.TrimSuffix(ig, "/"), rel); ok || strings.HasPrefix(rel, strings.TrimSuffix(ig, "/")+"/") {
							t.Errorf(".dockerignore %q leaves out %s, which the binary embeds", ig, rel)
						}
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if embeds < 20 {
		t.Fatalf("found %d embedded files; the walk missed them", embeds)
	}
}

// compose.yaml runs Redis with AOF on and its data on a volume, and
// saathi serve against it; the systemd unit runs serve with the
// environment file; the README names all three.
func TestComposeAndSystemdUnit(t *testing.T) {
	var compose struct {
		Services map[string]struct {
			Image       string            `yaml:"image"`
			Build       any               `yaml:"build"`
			Command     []string          `yaml:"command"`
			Environment map[string]string `yaml:"environment"`
			Volumes     []string          `yaml:"volumes"`
			DependsOn   map[string]any    `yaml:"depends_on"`
		} `yaml:"services"`
		Volumes map[string]any `yaml:"volumes"`
	}
	if err := yaml.Unmarshal([]byte(repoFile(t, "compose.yaml")), &compose); err != nil {
		t.Fatal(err)
	}
	redis, saathi := compose.Services["redis"], compose.Services["saathi"]
	if i := slices.Index(redis.Command, "--appendonly"); i < 0 || i+1 >= len(redis.Command) || redis.Command[i+1] != "yes" {
		t.Errorf("redis runs %v, want --appendonly yes", redis.Command)
	}
	if len(redis.Volumes) == 0 || !strings.HasSuffix(redis.Volumes[0], ":/data") {
		t.Errorf("redis volumes %v, want its /data on a volume", redis.Volumes)
	}
	if name, _, _ := strings.Cut(redis.Volumes[0], ":"); compose.Volumes == nil || !mapHas(compose.Volumes, name) {
		t.Errorf("the volume %q is not declared", name)
	}
	if saathi.Build == nil || !slices.Equal(saathi.Command, []string{"serve"}) || saathi.Environment["REDIS_URL"] != "redis://redis:6379/0" || saathi.DependsOn["redis"] == nil {
		t.Errorf("saathi service: %+v", saathi)
	}

	unit := repoFile(t, "deploy/saathi.service")
	for _, want := range []string{"EnvironmentFile=/etc/saathi/saathi.env", "ExecStart=/usr/local/bin/saathi serve", "User=saathi", "CGO_ENABLED=0 go build -trimpath -o /usr/local/bin/saathi ./cmd/saathi"} {
		if !strings.Contains(unit, want) {
			t.Errorf("deploy/saathi.service lacks %q", want)
		}
	}
	if _, err := os.Stat(filepath.Join("..", "..", "deploy", "saathi.env.example")); err != nil {
		t.Error(err)
	}
	readme := repoFile(t, "README.md")
	for _, want := range []string{"`Dockerfile`", "`compose.yaml`", "`deploy/saathi.service`", "CGO_ENABLED=0 go build"} {
		if !strings.Contains(readme, want) {
			t.Errorf("README does not name %s", want)
		}
	}
}

func mapHas(m map[string]any, k string) bool {
	_, ok := m[k]
	return ok
}
