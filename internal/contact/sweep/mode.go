package sweep

// Mode is how a provider process refreshes contacts (the provider's refresh_mode).
type Mode string

const (
	// ModeAuto reads contacts one by one until the reads seen cost as much as a sweep of the
	// space would, then sweeps: never more than about twice the cheaper of the two.
	ModeAuto Mode = "auto"
	// ModeGet reads every contact with its own request.
	ModeGet Mode = "get"
	// ModeSearch sweeps the space at the first read, whatever it costs.
	ModeSearch Mode = "search"
)

// Pages is what a sweep of a space of size contacts costs: one search page of perPage contacts
// per request, 1 token each. A space without contacts needs no sweep.
func Pages(size int64, perPage int) int {
	if size <= 0 || perPage <= 0 {
		return 0
	}
	return int((size + int64(perPage) - 1) / int64(perPage))
}

// sweepAt is the read (counted from 1) that starts the sweep, or 0 for never.
//
// The provider does not know how many contacts Terraform will ask for: it learns one read at a
// time. In auto mode it reads the first ones with a GET (1 token each) and sweeps once the GETs
// made cost what the sweep costs, the rule that rents skis until the rent paid equals the price
// of a pair: whatever the number of reads, it spends at most about twice what the cheaper
// strategy, known in advance, would have. A handful of contacts, or a space so large that its
// sweep costs more than the reads, never sweeps.
func sweepAt(mode Mode, pages int) int {
	switch {
	case pages == 0 || mode == ModeGet:
		return 0
	case mode == ModeSearch:
		return 1
	}
	return pages + 1
}
