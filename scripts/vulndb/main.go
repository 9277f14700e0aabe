// Command vulndb turns a directory of OSV entries (the data/osv folder of the golang.org/x/vulndb
// module, which the Go module proxy serves) into a local Go vulnerability database that
// `govulncheck -db file:///abs/out` reads. scripts/vulncheck.sh uses it because the published
// database, https://vuln.go.dev, is not reachable from every machine that runs `make test`,
// while the module proxy is.
//
//	go run ./scripts/vulndb -in <dir of GO-*.json> -out <new dir> [-default-modified RFC3339]
//
// The output follows the database API (https://go.dev/security/vuln/database#api), uncompressed,
// which is the form govulncheck's file:// client reads:
//
//	index/db.json       {"modified": latest modified of any entry}
//	index/modules.json  [{"path", "vulns": [{"id", "modified", "fixed"}]}], sorted by path, vulns by id
//	index/vulns.json    [{"id", "modified", "aliases"}], sorted by id (part of the API; govulncheck
//	                    itself does not read it)
//	ID/<id>.json        each entry, byte for byte as read
//
// The output is a pure function of the input (sorted, no map order, no clock), so two runs over
// the same vulndb version produce identical files.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

func main() {
	in := flag.String("in", "", "directory of OSV entries, one <id>.json per entry")
	out := flag.String("out", "", "directory to create (must not exist yet)")
	defModified := flag.String("default-modified", "",
		"RFC 3339 time to index for entries whose \"modified\" is unset; the vulndb repository's data/osv "+
			"leaves it zero (the real database fills it in from git history when it is deployed)")
	flag.Parse()
	if *in == "" || *out == "" || flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}
	var def time.Time
	if *defModified != "" {
		var err error
		if def, err = time.Parse(time.RFC3339, *defModified); err != nil {
			fatalf("-default-modified: %v", err)
		}
	}
	st, err := build(*in, *out, def.UTC())
	if err != nil {
		fatalf("%v", err)
	}
	fmt.Printf("vulndb: %d entries, %d modules, modified %s -> %s\n",
		st.entries, st.modules, st.modified.Format(time.RFC3339), *out)
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "vulndb: "+format+"\n", args...)
	os.Exit(1)
}

// entry is the part of an OSV entry the index needs. Unknown fields are ignored here and kept in
// ID/<id>.json, which is copied verbatim.
type entry struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Aliases  []string  `json:"aliases"`
	Affected []struct {
		Package struct {
			Name string `json:"name"` // the module path ("stdlib" and "toolchain" for Go itself)
		} `json:"package"`
		Ranges []osvRange `json:"ranges"`
	} `json:"affected"`
}

type osvRange struct {
	Type   string `json:"type"`
	Events []struct {
		Introduced string `json:"introduced"`
		Fixed      string `json:"fixed"`
		// Not used by the Go database; decoded only so that an entry using them is indexed as
		// "no fix known" instead of being misread.
		LastAffected string `json:"last_affected"`
		Limit        string `json:"limit"`
	} `json:"events"`
}

// The index records, in the field order and with the names of the database API.
type dbMeta struct {
	Modified time.Time `json:"modified"`
}

type moduleMeta struct {
	Path  string       `json:"path"`
	Vulns []moduleVuln `json:"vulns"`
}

type moduleVuln struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	// The latest version that fixes the vulnerability, without "v". govulncheck skips the entry
	// for a module version >= Fixed without reading it, so it must never be too low; empty means
	// "always read the entry" (govulncheck then filters by the entry's ranges itself).
	Fixed string `json:"fixed,omitempty"`
}

type vulnMeta struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Aliases  []string  `json:"aliases,omitempty"`
}

type stats struct {
	entries, modules int
	modified         time.Time
}

// build reads every *.json file of in (not recursive, other files ignored) and writes the
// database to out, which must not exist: a half-filled or stale directory is never reused.
func build(in, out string, defModified time.Time) (stats, error) {
	var st stats
	files, err := os.ReadDir(in) // sorted by name
	if err != nil {
		return st, err
	}
	if _, err := os.Stat(out); err == nil {
		return st, fmt.Errorf("%s already exists (the database is written into a new directory)", out)
	}
	// 0o750/0o600: the mirror is a private cache of the user who runs the checks.
	for _, d := range []string{out, filepath.Join(out, "index"), filepath.Join(out, "ID")} {
		if err := os.MkdirAll(d, 0o750); err != nil {
			return st, err
		}
	}

	modules := map[string]map[string]*moduleVuln{} // module path -> id -> vuln
	var vulns []vulnMeta
	for _, f := range files {
		if f.IsDir() || filepath.Ext(f.Name()) != ".json" {
			continue
		}
		path := filepath.Join(in, f.Name())
		raw, err := os.ReadFile(path)
		if err != nil {
			return st, err
		}
		e, err := parseEntry(f.Name(), raw)
		if err != nil {
			return st, fmt.Errorf("%s: %w", path, err)
		}
		if e.Modified.IsZero() {
			e.Modified = defModified
		}
		e.Modified = e.Modified.UTC()
		if e.Modified.After(st.modified) {
			st.modified = e.Modified
		}
		vulns = append(vulns, vulnMeta{ID: e.ID, Modified: e.Modified, Aliases: e.Aliases})
		for _, a := range e.Affected {
			byID := modules[a.Package.Name]
			if byID == nil {
				byID = map[string]*moduleVuln{}
				modules[a.Package.Name] = byID
			}
			fixed, bounded := latestFix(a.Ranges)
			v := byID[e.ID]
			switch {
			case v == nil: // first block of this entry for this module
				v = &moduleVuln{ID: e.ID, Modified: e.Modified, Fixed: fixed}
				if !bounded {
					v.Fixed = ""
				}
				byID[e.ID] = v
			case !bounded || v.Fixed == "":
				// An entry may list one module in several blocks (different packages): one
				// unbounded block makes the whole entry unbounded for the module.
				v.Fixed = ""
			case compareSemver(fixed, v.Fixed) > 0:
				v.Fixed = fixed
			}
		}
		if err := os.WriteFile(filepath.Join(out, "ID", f.Name()), raw, 0o600); err != nil {
			return st, err
		}
		st.entries++
	}

	paths := make([]string, 0, len(modules))
	for p := range modules {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	index := make([]moduleMeta, 0, len(paths))
	for _, p := range paths {
		m := moduleMeta{Path: p}
		for _, v := range modules[p] {
			m.Vulns = append(m.Vulns, *v)
		}
		sort.Slice(m.Vulns, func(i, j int) bool { return m.Vulns[i].ID < m.Vulns[j].ID })
		index = append(index, m)
	}
	st.modules = len(index)
	// vulns is already sorted by id: files were read in name order and each name is <id>.json.

	for _, f := range []struct {
		name string
		v    any
	}{{"db.json", dbMeta{Modified: st.modified}}, {"modules.json", index}, {"vulns.json", vulns}} {
		b, err := json.Marshal(f.v)
		if err != nil {
			return st, err
		}
		if err := os.WriteFile(filepath.Join(out, "index", f.name), b, 0o600); err != nil {
			return st, err
		}
	}
	return st, nil
}

// parseEntry decodes and checks one entry; name is its file name, which must be <id>.json
// because govulncheck fetches an entry as ID/<id>.json.
func parseEntry(name string, raw []byte) (*entry, error) {
	var e entry
	if err := json.Unmarshal(raw, &e); err != nil {
		return nil, fmt.Errorf("not an OSV entry: %w", err)
	}
	switch {
	case e.ID == "":
		return nil, errors.New(`no "id"`)
	case name != e.ID+".json":
		return nil, fmt.Errorf("id %q does not match the file name (want %s.json)", e.ID, e.ID)
	case len(e.Affected) == 0:
		return nil, errors.New(`no "affected" module: the entry would be invisible to govulncheck`)
	}
	for i, a := range e.Affected {
		if a.Package.Name == "" {
			return nil, fmt.Errorf("affected[%d] has no package name (module path)", i)
		}
	}
	return &e, nil
}

// latestFix returns the highest fixed version of a module's ranges, and whether every affected
// version is below it (bounded). A range that is still open at its top (re-introduced after its
// last fix, or never fixed), no SEMVER range at all (govulncheck then treats every version as
// affected), an event type the Go database does not use, or a version we cannot parse make it
// unbounded: an empty "fixed" only costs govulncheck a read, a wrong one would hide a vulnerability.
func latestFix(ranges []osvRange) (fixed string, bounded bool) {
	sawSemver := false
	for _, r := range ranges {
		if r.Type != "SEMVER" {
			continue
		}
		sawSemver = true
		maxFixed, maxIntroduced := "", ""
		for _, ev := range r.Events {
			switch {
			case ev.LastAffected != "" || ev.Limit != "":
				return "", false
			case ev.Fixed != "":
				if !validSemver(ev.Fixed) {
					return "", false
				}
				if maxFixed == "" || compareSemver(ev.Fixed, maxFixed) > 0 {
					maxFixed = ev.Fixed
				}
			case ev.Introduced != "" && ev.Introduced != "0": // "0" is the start of time
				if !validSemver(ev.Introduced) {
					return "", false
				}
				if maxIntroduced == "" || compareSemver(ev.Introduced, maxIntroduced) > 0 {
					maxIntroduced = ev.Introduced
				}
			}
		}
		if maxFixed == "" || (maxIntroduced != "" && compareSemver(maxIntroduced, maxFixed) >= 0) {
			return "", false // affected up to the latest version
		}
		if fixed == "" || compareSemver(maxFixed, fixed) > 0 {
			fixed = maxFixed
		}
	}
	return fixed, sawSemver
}

func validSemver(v string) bool {
	_, _, ok := parseSemver(v)
	return ok
}

// compareSemver orders two valid SemVer 2.0.0 versions (checked by the caller; an optional
// leading "v" is allowed, build metadata is ignored): -1, 0 or +1. Our own small version of the
// rules, because this program uses the standard library only.
func compareSemver(a, b string) int {
	ca, pa, _ := parseSemver(a)
	cb, pb, _ := parseSemver(b)
	for i := range ca {
		if c := compareNumeric(ca[i], cb[i]); c != 0 {
			return c
		}
	}
	// A pre-release is below its release: 1.22.0-0 < 1.22.0.
	switch {
	case len(pa) == 0 && len(pb) == 0:
		return 0
	case len(pa) == 0:
		return 1
	case len(pb) == 0:
		return -1
	}
	for i := 0; i < len(pa) && i < len(pb); i++ {
		na, nb := isNumeric(pa[i]), isNumeric(pb[i])
		var c int
		switch {
		case na && nb:
			c = compareNumeric(pa[i], pb[i])
		case na: // numeric identifiers sort before alphanumeric ones
			c = -1
		case nb:
			c = 1
		default:
			c = strings.Compare(pa[i], pb[i])
		}
		if c != 0 {
			return c
		}
	}
	return compareInts(len(pa), len(pb))
}

// parseSemver splits "1.2.3-rc.1+meta" into ["1" "2" "3"] and ["rc" "1"].
func parseSemver(v string) (core [3]string, pre []string, ok bool) {
	v = strings.TrimPrefix(v, "v")
	v, _, _ = strings.Cut(v, "+")
	v, p, hasPre := strings.Cut(v, "-")
	parts := strings.Split(v, ".")
	if len(parts) != 3 {
		return core, nil, false
	}
	for i, n := range parts {
		if !isNumeric(n) || (len(n) > 1 && n[0] == '0') {
			return core, nil, false
		}
		core[i] = n
	}
	if hasPre {
		pre = strings.Split(p, ".")
		for _, id := range pre {
			if id == "" || strings.Trim(id, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-") != "" {
				return core, nil, false
			}
		}
	}
	return core, pre, true
}

func isNumeric(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// compareNumeric compares digit strings of any length (pseudo-version timestamps overflow int32
// on 32-bit systems): the longer one is larger, equal lengths compare as text.
func compareNumeric(a, b string) int {
	a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
	if c := compareInts(len(a), len(b)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

func compareInts(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
