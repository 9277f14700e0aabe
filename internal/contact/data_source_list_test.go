package contact_test

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/qomon/terraform-provider-qomon/internal/acctest"
	"github.com/qomon/terraform-provider-qomon/internal/qomon"
	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

// searchPeople seeds five contacts built to catch every way a filter could be too loose: an
// address that extends another (.uk), a surname that is a prefix of others, a tag that extends
// another, a city that starts like another, the same city and surname in other capitals.
type searchPeople struct {
	jane, paul, anne, jean, doe int64 // A, B, C, D, E below
}

func seedSearchPeople(t *testing.T, sim *qomonsim.Server) searchPeople {
	t.Helper()
	now := time.Now().UTC()
	ago := func(days int) string { return now.Add(-time.Duration(days) * 24 * time.Hour).Format(time.RFC3339Nano) }
	seed := func(c map[string]any) int64 {
		t.Helper()
		id, err := sim.TrySeedContact(c)
		if err != nil {
			t.Fatalf("seeding %v: %v", c["firstname"], err)
		}
		return id
	}
	return searchPeople{
		jane: seed(map[string]any{
			"firstname": "Jane", "surname": "Martin", "mail": "jane@example.org", "black_list": false,
			"tags": []any{map[string]any{"name": "volunteer"}}, "address": map[string]any{"city": "Lyon", "postalcode": "69001"},
			"UpdatedAt": ago(1),
		}),
		paul: seed(map[string]any{
			"firstname": "Paul", "surname": "Martinez", "mail": "jane@example.org.uk", "black_list": true,
			"tags":    []any{map[string]any{"name": "volunteer"}, map[string]any{"name": "donor"}},
			"address": map[string]any{"city": "Villeurbanne", "postalcode": "69100"}, "UpdatedAt": ago(30),
		}),
		anne: seed(map[string]any{
			"firstname": "Anne", "surname": "Mar", "mail": "anne@example.org",
			"tags": []any{map[string]any{"name": "volunteers"}}, "address": map[string]any{"city": "Lyons-la-Forêt", "postalcode": "27480"},
			"UpdatedAt": ago(2),
		}),
		jean: seed(map[string]any{
			"firstname": "Jean", "surname": "MARTIN", "mail": "jean.martin@example.org",
			"address": map[string]any{"city": "lyon", "postalcode": "69001"}, "UpdatedAt": ago(60),
		}),
		doe: seed(map[string]any{
			"firstname": "Jane", "surname": "Doe", "mail": "doe@example.org", "black_list": false,
			"tags": []any{map[string]any{"name": "donor"}}, "address": map[string]any{"city": "Paris", "postalcode": "75001"},
			"UpdatedAt": ago(400),
		}),
	}
}

// contactsBlock is a qomon_contacts data source with the given arguments.
func contactsBlock(name, args string) string {
	return acctest.Block("data", "qomon_contacts", name, args)
}

// contactsConfig is a qomon_contacts data source named "found" with the given arguments.
func contactsConfig(env *acctest.Env, args string) string {
	return env.ProviderConfig("") + contactsBlock("found", args)
}

// foundIDs checks that data.qomon_contacts.<name> holds exactly these ids (in any order),
// that contacts lists the same contacts in the same order, and that truncated is false.
func foundIDs(name string, want ...int64) resource.TestCheckFunc {
	address := "data.qomon_contacts." + name
	return func(s *terraform.State) error {
		got, contacts, attrs, err := readFound(s, address)
		if err != nil {
			return err
		}
		if !slices.Equal(got, contacts) {
			return fmt.Errorf("%s: ids %v and contacts[*].id %v differ", address, got, contacts)
		}
		if attrs["truncated"] != "false" {
			return fmt.Errorf("%s: truncated = %q, want false", address, attrs["truncated"])
		}
		g, w := slices.Clone(got), slices.Clone(want)
		slices.Sort(g)
		slices.Sort(w)
		if !slices.Equal(g, w) {
			return fmt.Errorf("%s: found ids %v, want %v", address, g, w)
		}
		return nil
	}
}

func readFound(s *terraform.State, address string) (ids, contactIDs []int64, attrs map[string]string, err error) {
	rs, ok := s.RootModule().Resources[address]
	if !ok {
		return nil, nil, nil, fmt.Errorf("%s is not in state", address)
	}
	attrs = rs.Primary.Attributes
	read := func(prefix, suffix string) ([]int64, error) {
		n, err := strconv.Atoi(attrs[prefix+"#"])
		if err != nil {
			return nil, fmt.Errorf("%s %s#: %v", address, prefix, err)
		}
		out := make([]int64, 0, n)
		for i := range n {
			v, err := strconv.ParseInt(attrs[prefix+strconv.Itoa(i)+suffix], 10, 64)
			if err != nil {
				return nil, fmt.Errorf("%s %s%d%s: %v", address, prefix, i, suffix, err)
			}
			out = append(out, v)
		}
		return out, nil
	}
	if ids, err = read("ids.", ""); err != nil {
		return nil, nil, nil, err
	}
	if contactIDs, err = read("contacts.", ".id"); err != nil {
		return nil, nil, nil, err
	}
	return ids, contactIDs, attrs, nil
}

// orderedIDs checks the ids of data.qomon_contacts.<name>, in order.
func orderedIDs(name string, ids ...int64) statecheck.StateCheck {
	checks := make([]knownvalue.Check, 0, len(ids))
	for _, id := range ids {
		checks = append(checks, knownvalue.Int64Exact(id))
	}
	return expectState("data.qomon_contacts."+name, "ids", knownvalue.ListExact(checks))
}

// searchCase is the arguments of a qomon_contacts data source and the contacts it must find.
type searchCase struct {
	args string
	want []int64
}

// searchStep reads every case as a data source of its own (its own search) in one
// configuration, so that one run of the CLI reads them all, and checks what each found.
func searchStep(env *acctest.Env, cases []searchCase) resource.TestStep {
	config := env.ProviderConfig("")
	checks := make([]resource.TestCheckFunc, 0, len(cases))
	for i, c := range cases {
		name := fmt.Sprintf("case%02d", i)
		config += contactsBlock(name, c.args)
		check := foundIDs(name, c.want...)
		checks = append(checks, func(s *terraform.State) error {
			if err := check(s); err != nil {
				return fmt.Errorf("%s: %w", strings.ReplaceAll(c.args, "\n", "; "), err)
			}
			return nil
		})
	}
	return resource.TestStep{Config: config, Check: resource.ComposeAggregateTestCheckFunc(checks...)}
}

// TestAccContactsDataSource_filters runs every filter, alone and combined, against contacts
// that a filter one notch too loose would also return.
func TestAccContactsDataSource_filters(t *testing.T) {
	env := acctest.Parallel(t, qomonsim.Options{})
	p := seedSearchPeople(t, env.Sim)
	day45 := time.Now().UTC().Add(-45 * 24 * time.Hour)
	everyone := []int64{p.jane, p.paul, p.anne, p.jean, p.doe}

	cases := []searchCase{
		{``, everyone},
		// mail: exact; an address that extends it (.uk) is not found.
		{`mail = "jane@example.org"`, []int64{p.jane}},
		// Written with capitals, it also finds the lower-case address Qomon holds.
		{`mail = "Jane@Example.org"`, []int64{p.jane}},
		{`mail = "jane@example.or"`, nil},
		// surname: exact and case-sensitive; neither Martinez nor MARTIN.
		{`surname = "Martin"`, []int64{p.jane}},
		{`surname = "Mar"`, []int64{p.anne}},
		{`firstname = "Jane"`, []int64{p.jane, p.doe}},
		// tag: "volunteers" is another tag.
		{`tag = "volunteer"`, []int64{p.jane, p.paul}},
		{`tag = "donor"`, []int64{p.paul, p.doe}},
		// city: neither Lyons-la-Forêt nor lyon.
		{`city = "Lyon"`, []int64{p.jane}},
		{`postalcode = "69001"`, []int64{p.jane, p.jean}},
		// updated_since, in each of its three forms.
		{`updated_since = "now-7d"`, []int64{p.jane, p.anne}},
		{fmt.Sprintf(`updated_since = %q`, day45.Format(time.RFC3339)), []int64{p.jane, p.paul, p.anne}},
		{fmt.Sprintf(`updated_since = %q`, day45.Format(time.DateOnly)), []int64{p.jane, p.paul, p.anne}},
		// black_listed: false includes contacts whose flag was never set.
		{`black_listed = true`, []int64{p.paul}},
		{`black_listed = false`, []int64{p.jane, p.anne, p.jean, p.doe}},
		// AND of filters.
		{"tag = \"volunteer\"\nblack_listed = false", []int64{p.jane}},
		{"firstname = \"Jane\"\nupdated_since = \"now-7d\"", []int64{p.jane}},
		// OR with any_of, alone and under common filters; an element may itself AND.
		{`any_of = [{ city = "Lyon" }, { tag = "donor" }]`, []int64{p.jane, p.paul, p.doe}},
		{"firstname = \"Jane\"\nany_of = [{ city = \"Paris\" }, { postalcode = \"69001\" }]", []int64{p.jane, p.doe}},
		{`any_of = [{ tag = "volunteer", black_listed = true }, { surname = "Mar" }]`, []int64{p.paul, p.anne}},
		// An empty any_of is no such filter: a list built from a variable may be empty.
		{`any_of = []`, everyone},
		{"firstname = \"Jane\"\nany_of = []", []int64{p.jane, p.doe}},
	}
	env.Test(t, resource.TestCase{Steps: []resource.TestStep{searchStep(env, cases)}})
}

// TestAccContactsDataSource_sortAndBound checks sort_by and sort_ascending, and that
// max_results cuts the result, says so in truncated, and is exact at the boundary.
func TestAccContactsDataSource_sortAndBound(t *testing.T) {
	env := acctest.Parallel(t, qomonsim.Options{})
	p := seedSearchPeople(t, env.Sim)
	// By mail: anne@, doe@, jane@example.org, jane@example.org.uk, jean.martin@.
	ascending := []int64{p.anne, p.doe, p.jane, p.paul, p.jean}
	descending := slices.Clone(ascending)
	slices.Reverse(descending)
	truncated := func(name string, want bool) statecheck.StateCheck {
		return expectState("data.qomon_contacts."+name, "truncated", knownvalue.Bool(want))
	}

	env.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: env.ProviderConfig("") +
				contactsBlock("ascending", "sort_by = \"mail\"\nsort_ascending = true") +
				contactsBlock("descending", `sort_by = "mail"`) +
				contactsBlock("cut", "sort_by = \"mail\"\nsort_ascending = true\nmax_results = 2") +
				// Exactly as many matches as the bound: nothing was cut.
				contactsBlock("bound", "sort_by = \"mail\"\nsort_ascending = true\nmax_results = 5"),
			ConfigStateChecks: []statecheck.StateCheck{
				orderedIDs("ascending", ascending...),
				orderedIDs("descending", descending...),
				orderedIDs("cut", p.anne, p.doe),
				truncated("cut", true),
				expectState("data.qomon_contacts.cut", "contacts", knownvalue.ListSizeExact(2)),
				orderedIDs("bound", ascending...),
				truncated("bound", false),
			},
		}},
	})
}

// TestAccContactsDataSource_pagination reads a result spread over several pages: every contact
// arrives once, the pages asked for are 0, 1, 2 with the configured size, and paging stops at
// the short page.
func TestAccContactsDataSource_pagination(t *testing.T) {
	env := acctest.Parallel(t, qomonsim.Options{})
	var want []int64
	for i := range 12 {
		want = append(want, env.Sim.SeedContact(map[string]any{
			"firstname": fmt.Sprintf("Page%02d", i), "surname": "Reader",
			"tags": []any{map[string]any{"name": "paged"}},
		}))
	}
	env.Sim.SeedContact(map[string]any{"firstname": "Other", "surname": "Reader"}) // not tagged

	env.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: contactsConfig(env, "tag = \"paged\"\npage_size = 5"),
			Check: resource.ComposeTestCheckFunc(
				foundIDs("found", want...),
				qomonCheck(func() error { return searchPages(env.Sim, 5, []int{0, 1, 2}) }),
			),
		}},
	})
}

// TestContactsDataSource_manyPages seeds one contact more than Qomon's largest page and reads
// them all, through the provider's ReadDataSource as a plan calls it, with a bound too high to
// shape the pages: two full-size requests (1000, then the 1 left), each contact once. (The
// default bound of 1000 is checked by the search request's table test; truncation by
// sortAndBound; small pages, through a CLI, by pagination.) A CLI would add only the time it
// takes to carry a thousand contacts through its state, several times a step.
func TestContactsDataSource_manyPages(t *testing.T) {
	env := acctest.Parallel(t, qomonsim.Options{})
	const n = 1001
	for i := range n {
		if env.Sim.SeedContact(map[string]any{"firstname": fmt.Sprintf("Bulk%04d", i), "surname": "Bulk"}) == 0 {
			t.Fatal("seeding failed")
		}
	}
	read := newRPCProvider(t, env).readDataSource("qomon_contacts", map[string]tftypes.Value{
		"surname": str("Bulk"), "max_results": tftypes.NewValue(tftypes.Number, 1000000),
	})
	var ids []tftypes.Value
	var truncated bool
	if err := read["ids"].As(&ids); err != nil {
		t.Fatal(err)
	}
	if err := read["truncated"].As(&truncated); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, v := range ids {
		seen[v.String()] = true
	}
	if len(ids) != n || len(seen) != n || truncated {
		t.Errorf("%d ids (%d distinct), truncated %v; want %d distinct, not truncated", len(ids), len(seen), truncated, n)
	}
	if err := searchPages(env.Sim, 1000, []int{0, 1}); err != nil {
		t.Error(err)
	}
}

// searchPages checks every POST /search of the log: each sweep asks for the pages want, in
// order, all of one size: perPage, or when 0 any size up to Qomon's 1000.
func searchPages(sim *qomonsim.Server, perPage int, want []int) error {
	var pages []int
	searches, err := searchBodies(sim)
	if err != nil {
		return err
	}
	for _, s := range searches {
		if perPage == 0 {
			perPage = s.PerPage
		}
		if got := s.PerPage; got != perPage || got < 1 || got > 1000 {
			return fmt.Errorf("per_page %d, want %d (1 to 1000)", got, perPage)
		}
		pages = append(pages, s.Page)
	}
	if len(pages) == 0 || len(pages)%len(want) != 0 {
		return fmt.Errorf("pages asked for: %v, want repetitions of %v", pages, want)
	}
	for i, p := range pages {
		if p != want[i%len(want)] {
			return fmt.Errorf("pages asked for: %v, want repetitions of %v", pages, want)
		}
	}
	return nil
}

// TestAccContactsDataSource_errors covers every way a qomon_contacts configuration or search
// can fail, each with its message.
func TestAccContactsDataSource_errors(t *testing.T) {
	env := acctest.Parallel(t, qomonsim.Options{}, func(c *qomon.Config) { c.Retry.MaxRetries = 0 })
	seedSearchPeople(t, env.Sim)
	bad := func(args, want string) resource.TestStep { return acctest.Refused(contactsConfig(env, args), want) }
	env.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			bad(`updated_since = "yesterday"`, `Invalid updated_since`),
			bad(`updated_since = "now-7x"`, `Qomon date math`),
			bad(`any_of = [{ city = "Lyon" }, {}]`, `(?s)Empty any_of element.*any_of\[1\]`),
			bad(`sort_by = "UpdatedAt"`, `(?s)sort_by.*value must be one of`),
			bad(`max_results = 0`, `(?s)max_results.*at least 1`),
			bad(`page_size = 1001`, `(?s)page_size.*between 1 and 1000`),
			bad(`mail = "not-an-address"`, `Invalid e-mail address`),
			bad(`surname = ""`, `Empty value`),
			bad(`any_of = [{ surname = " " }]`, `Empty value`),
			bad(`unknown_filter = "x"`, `(?i)unsupported argument`),
			{
				// Qomon refusing the search reaches the user with Qomon's reason.
				PreConfig: func() {
					env.Sim.InjectFault(qomonsim.Fault{Method: "POST", Path: "/search", Kind: qomonsim.FaultStatus, Status: 503})
				},
				Config:      contactsConfig(env, `tag = "volunteer"`),
				ExpectError: acctest.Wrapped(`(?s)Cannot search Qomon contacts.*503`),
			},
		},
	})
}

// The simulator is told nothing about the filters' meaning: this guards the test itself by
// checking its seeds against a plain reading of the store.
func TestSeedSearchPeopleIsWhatTheTestsAssume(t *testing.T) {
	sim, _ := qomonsim.NewTestServer(t, qomonsim.Options{})
	p := seedSearchPeople(t, sim)
	c, ok := sim.Contact(p.anne)
	if !ok {
		t.Fatal("seeded contact missing")
	}
	addr, _ := c["address"].(map[string]any)
	if city, _ := addr["city"].(string); !strings.HasPrefix(strings.ToLower(city), "lyon") || city == "Lyon" {
		t.Errorf("anne's city %q should start like Lyon without being it", city)
	}
	if j, _ := sim.Contact(p.jean); j["surname"] != "MARTIN" {
		t.Errorf("jean's surname %v, want MARTIN (case kept)", j["surname"])
	}
}
