package conformance

import (
	"fmt"
	"strings"
)

// maxLeftovers is how many contacts of earlier runs one run deletes; more are left for the
// next run, so that the budget stays what it says.
const maxLeftovers = 10

// searchPolls is how many searches the search-lag check makes at most.
const searchPolls = 8

// A part of a run, with the most tokens it may spend at Qomon's documented costs.
type part struct {
	name   string
	what   string
	tokens int
}

// plan is every request a run may make, in order. Run enforces it: each part may spend up to
// the total of the parts so far, and the cleanup part is kept for the cleanup.
var plan = []part{
	{"leftovers", fmt.Sprintf("1 search for contacts earlier runs left, and deleting at most %d of them", maxLeftovers), 1 + maxLeftovers},
	{"forms", "listing the custom-field and level-of-support forms", 2},
	{"contact A", "creating and reading contact A", costWrite + costOther},
	{"search", fmt.Sprintf("searching for contact A until it shows, at most %d searches", searchPolls), searchPolls},
	{"note ids", "updating A with its note and a new one, and reading it", costWrite + costOther},
	{"empty address", "updating A with an empty address, and reading it", costWrite + costOther},
	{"empty lists", "updating A with every list empty, and reading it", costWrite + costOther},
	{"contact B", "creating B, updating it with a partial body, and reading it", 2*costWrite + costOther},
	{"delete", "deleting B, then reading, updating and deleting it again", 3*costOther + costWrite},
	{"cleanup", "deleting the contacts this run created, searched for by mail when a create answer was lost", 2*costOther + 2*len(cleanupSearches)*costOther},
}

// Budget is the most tokens a run spends.
func Budget() int {
	n := 0
	for _, p := range plan {
		n += p.tokens
	}
	return n
}

// upTo is the budget of the parts up to and including name.
func upTo(name string) int {
	n := 0
	for _, p := range plan {
		n += p.tokens
		if p.name == name {
			return n
		}
	}
	panic("conformance: no part " + name)
}

// BudgetLines describes the budget part by part, as a run states it before it starts.
func BudgetLines() []string {
	out := make([]string, 0, len(plan)+1)
	for _, p := range plan {
		out = append(out, fmt.Sprintf("%3d  %s", p.tokens, p.what))
	}
	return append(out, fmt.Sprintf("%3d  in all (Qomon refills 10 tokens a second, 100 at most)", Budget()))
}

// BudgetText is BudgetLines as one block.
func BudgetText() string { return strings.Join(BudgetLines(), "\n") }
