package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

func TestCompareSemver(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"1.2.3", "1.2.3", 0},
		{"v1.2.3", "1.2.3", 0},
		{"1.2.3", "1.2.4", -1},
		{"1.10.0", "1.9.0", 1}, // numeric, not text
		{"1.22.0-0", "1.22.0", -1},
		{"1.22.0-0", "1.21.9", 1},
		{"1.0.0-rc.2", "1.0.0-rc.10", -1},
		{"1.0.0-1", "1.0.0-alpha", -1}, // numeric identifiers first
		{"1.0.0-alpha", "1.0.0-alpha.1", -1},
		{"1.0.0+build.5", "1.0.0", 0},
		{"0.0.0-20220101000000-abcdef", "0.0.0-20230101000000-012345", -1}, // pseudo-versions
	} {
		if got := compareSemver(tc.a, tc.b); got != tc.want {
			t.Errorf("compareSemver(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := compareSemver(tc.b, tc.a); got != -tc.want {
			t.Errorf("compareSemver(%q, %q) = %d, want %d", tc.b, tc.a, got, -tc.want)
		}
	}
	for _, v := range []string{"", "1.2", "1.2.3.4", "01.2.3", "1.2.x", "1.2.3-", "1.2.3-a..b", "go1.2.3"} {
		if validSemver(v) {
			t.Errorf("validSemver(%q) = true", v)
		}
	}
}

func TestLatestFix(t *testing.T) {
	semver := func(events string) string { return `[{"type":"SEMVER","events":[` + events + `]}]` }
	for _, tc := range []struct {
		name, ranges string
		fixed        string
		bounded      bool
	}{
		{"one fix", semver(`{"introduced":"0"},{"fixed":"1.2.0"}`), "1.2.0", true},
		{"two branches", semver(`{"introduced":"0"},{"fixed":"1.21.9"},{"introduced":"1.22.0-0"},{"fixed":"1.22.2"}`), "1.22.2", true},
		{"events out of order", semver(`{"fixed":"2.0.3"},{"introduced":"2.0.0"},{"introduced":"0"},{"fixed":"1.2.0"}`), "2.0.3", true},
		{"never fixed", semver(`{"introduced":"0"}`), "", false},
		{"re-introduced after the last fix", semver(`{"introduced":"0"},{"fixed":"1.2.0"},{"introduced":"1.3.0"}`), "", false},
		{"last_affected", semver(`{"introduced":"0"},{"last_affected":"1.2.0"}`), "", false},
		{"unparsable fix", semver(`{"introduced":"0"},{"fixed":"1.2"}`), "", false},
		{"no ranges", `[]`, "", false},
		{"no SEMVER range", `[{"type":"GIT","events":[{"introduced":"0"},{"fixed":"abc"}]}]`, "", false},
		{"highest fix of two ranges", `[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.0.1"}]},{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"0.9.5"}]}]`, "1.0.1", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var rs []osvRange
			if err := json.Unmarshal([]byte(tc.ranges), &rs); err != nil {
				t.Fatal(err)
			}
			fixed, bounded := latestFix(rs)
			if bounded != tc.bounded || (bounded && fixed != tc.fixed) {
				t.Errorf("latestFix = %q, %v; want %q, %v", fixed, bounded, tc.fixed, tc.bounded)
			}
		})
	}
}

// fixtures: small entries in the shape of golang.org/x/vulndb's data/osv (zero "modified" on
// most, as there), covering the index rules: several branches, never fixed, one module in two
// blocks of one entry, the standard library.
var fixtures = map[string]string{
	"GO-2099-0001.json": `{"id":"GO-2099-0001","modified":"0001-01-01T00:00:00Z","aliases":["CVE-2099-1"],
		"affected":[{"package":{"name":"example.com/a","ecosystem":"Go"},"ranges":[{"type":"SEMVER","events":[
		{"introduced":"0"},{"fixed":"1.2.0"},{"introduced":"2.0.0"},{"fixed":"2.0.3"}]}]}]}`,
	"GO-2099-0002.json": `{"id":"GO-2099-0002","modified":"0001-01-01T00:00:00Z",
		"affected":[{"package":{"name":"example.com/a","ecosystem":"Go"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"}]}]},
		{"package":{"name":"stdlib","ecosystem":"Go"},"ranges":[{"type":"SEMVER","events":[
		{"introduced":"0"},{"fixed":"1.21.9"},{"introduced":"1.22.0-0"},{"fixed":"1.22.2"}]}]}]}`,
	"GO-2099-0003.json": `{"id":"GO-2099-0003","modified":"2099-03-04T05:06:07Z",
		"affected":[{"package":{"name":"example.com/b","ecosystem":"Go"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.0.1"}]}]},
		{"package":{"name":"example.com/b","ecosystem":"Go"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"0.9.5"}]}]}]}`,
	"README.md": "not an entry: ignored",
}

const fixtureDefault = "2099-01-02T00:00:00Z" // -default-modified in these tests

func writeFixtures(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func buildFixtures(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "db")
	def, _ := time.Parse(time.RFC3339, fixtureDefault)
	st, err := build(writeFixtures(t, fixtures), out, def)
	if err != nil {
		t.Fatal(err)
	}
	if st.entries != 3 || st.modules != 3 {
		t.Errorf("stats = %+v, want 3 entries and 3 modules", st)
	}
	return out
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestBuildIndex(t *testing.T) {
	out := buildFixtures(t)
	// Exact bytes: the layout govulncheck reads, and proof that the output is deterministic.
	want := map[string]string{
		"index/db.json": `{"modified":"2099-03-04T05:06:07Z"}`,
		"index/modules.json": `[` +
			`{"path":"example.com/a","vulns":[` +
			`{"id":"GO-2099-0001","modified":"2099-01-02T00:00:00Z","fixed":"2.0.3"},` +
			`{"id":"GO-2099-0002","modified":"2099-01-02T00:00:00Z"}]},` +
			`{"path":"example.com/b","vulns":[{"id":"GO-2099-0003","modified":"2099-03-04T05:06:07Z","fixed":"1.0.1"}]},` +
			`{"path":"stdlib","vulns":[{"id":"GO-2099-0002","modified":"2099-01-02T00:00:00Z","fixed":"1.22.2"}]}]`,
		"index/vulns.json": `[` +
			`{"id":"GO-2099-0001","modified":"2099-01-02T00:00:00Z","aliases":["CVE-2099-1"]},` +
			`{"id":"GO-2099-0002","modified":"2099-01-02T00:00:00Z"},` +
			`{"id":"GO-2099-0003","modified":"2099-03-04T05:06:07Z"}]`,
	}
	for name, body := range fixtures {
		if strings.HasSuffix(name, ".json") {
			want["ID/"+name] = body // verbatim copies
		}
	}
	var got []string
	if err := filepath.WalkDir(out, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(out, path)
			got = append(got, filepath.ToSlash(rel))
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var wantNames []string
	for name := range want {
		wantNames = append(wantNames, name)
	}
	sort.Strings(wantNames)
	if strings.Join(got, " ") != strings.Join(wantNames, " ") {
		t.Fatalf("files = %v, want %v", got, wantNames)
	}
	for name, body := range want {
		if g := readFile(t, filepath.Join(out, name)); g != body {
			t.Errorf("%s =\n%s\nwant\n%s", name, g, body)
		}
	}
}

// TestReadBack follows the client protocol by hand: every id the module index names resolves
// to ID/<id>.json, which is that entry and lists that module.
func TestReadBack(t *testing.T) {
	out := buildFixtures(t)
	var index []moduleMeta
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(out, "index/modules.json"))), &index); err != nil {
		t.Fatal(err)
	}
	for _, m := range index {
		for _, v := range m.Vulns {
			var e entry
			if err := json.Unmarshal([]byte(readFile(t, filepath.Join(out, "ID", v.ID+".json"))), &e); err != nil {
				t.Fatal(err)
			}
			found := false
			for _, a := range e.Affected {
				found = found || a.Package.Name == m.Path
			}
			if e.ID != v.ID || !found {
				t.Errorf("index lists %s under %s, but ID/%s.json is %s and does not list it", v.ID, m.Path, v.ID, e.ID)
			}
		}
	}
}

// TestGovulncheckReadsIt asks the real client (govulncheck's query mode: no package loading,
// well under a second) which entries apply to a few module versions. It also checks "fixed":
// govulncheck 1.9.0 returns every entry it read for a module once one of them applies, so a
// missing or too-low "fixed" would show up as an extra or a missing id. Skipped when
// govulncheck is not installed (scripts/tools.sh govulncheck puts it in .tools/bin).
func TestGovulncheckReadsIt(t *testing.T) {
	bin, err := filepath.Abs("../../.tools/bin/govulncheck")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(bin); err != nil {
		if bin, err = exec.LookPath("govulncheck"); err != nil {
			t.Skip("govulncheck is not installed (scripts/tools.sh govulncheck)")
		}
	}
	out := buildFixtures(t)
	for query, want := range map[string]string{
		"example.com/a@v1.1.0": "GO-2099-0001 GO-2099-0002",
		"example.com/a@v2.0.3": "GO-2099-0002", // 0001 fixed: skipped by the index
		"example.com/b@v1.0.0": "GO-2099-0003",
		"example.com/b@v1.0.1": "",
		"example.com/c@v1.0.0": "", // not in the database
	} {
		cmd := exec.CommandContext(t.Context(), bin, "-mode", "query", "-format", "json", "-db", "file://"+filepath.ToSlash(out), query)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s: %v\n%s", query, err, stderr.String())
		}
		var ids []string
		var modified *time.Time
		for dec := json.NewDecoder(&stdout); dec.More(); {
			var msg struct {
				Config *struct {
					DBLastModified *time.Time `json:"db_last_modified"`
				} `json:"config"`
				OSV *struct {
					ID string `json:"id"`
				} `json:"osv"`
			}
			if err := dec.Decode(&msg); err != nil {
				t.Fatalf("%s: %v", query, err)
			}
			if msg.Config != nil {
				modified = msg.Config.DBLastModified
			}
			if msg.OSV != nil {
				ids = append(ids, msg.OSV.ID)
			}
		}
		sort.Strings(ids)
		if got := strings.Join(ids, " "); got != want {
			t.Errorf("govulncheck -mode query %s: %q, want %q", query, got, want)
		}
		if modified == nil || !modified.Equal(time.Date(2099, 3, 4, 5, 6, 7, 0, time.UTC)) {
			t.Errorf("govulncheck read db_last_modified %v, want 2099-03-04T05:06:07Z (index/db.json)", modified)
		}
	}
}

func TestBuildErrors(t *testing.T) {
	for _, tc := range []struct {
		name, file, body, want string
	}{
		{"not JSON", "GO-2099-0009.json", `{"id":`, "not an OSV entry"},
		{"bad modified", "GO-2099-0009.json", `{"id":"GO-2099-0009","modified":"yesterday","affected":[{"package":{"name":"m"}}]}`, "not an OSV entry"},
		{"no id", "GO-2099-0009.json", `{"affected":[{"package":{"name":"m"}}]}`, `no "id"`},
		{"file name is not the id", "GO-2099-0009.json", `{"id":"GO-2099-0008","affected":[{"package":{"name":"m"}}]}`, "does not match the file name"},
		{"no affected module", "GO-2099-0009.json", `{"id":"GO-2099-0009"}`, `no "affected"`},
		{"no module path", "GO-2099-0009.json", `{"id":"GO-2099-0009","affected":[{"package":{"name":""}}]}`, "affected[0] has no package name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := writeFixtures(t, map[string]string{tc.file: tc.body})
			_, err := build(in, filepath.Join(t.TempDir(), "db"), time.Time{})
			if err == nil {
				t.Fatal("no error")
			}
			// The message names the bad file, so that a broken vulndb version is easy to report.
			if !strings.Contains(err.Error(), filepath.Join(in, tc.file)) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want the file name and %q", err, tc.want)
			}
		})
	}
	t.Run("output exists", func(t *testing.T) {
		if _, err := build(writeFixtures(t, fixtures), t.TempDir(), time.Time{}); err == nil || !strings.Contains(err.Error(), "already exists") {
			t.Errorf("error %v, want 'already exists'", err)
		}
	})
}
