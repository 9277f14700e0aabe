package providerdata

import (
	"context"
	"sync"
)

// PatchVerdict is what a provider process has learnt of its Qomon space's PATCH.
type PatchVerdict int

const (
	// PatchUnknown: no PATCH answer has told yet.
	PatchUnknown PatchVerdict = iota
	// PatchMerges: a PATCH kept a field it did not carry.
	PatchMerges
	// PatchReplaces: a PATCH cleared fields it did not carry (Qomon's documented PATCH).
	PatchReplaces
)

// PatchCheck lets the merge PATCHes of one provider process find out, on the first of them,
// whether the space's PATCH merges, before any other is sent. Terraform updates up to ten
// contacts at once (-parallelism), so without it ten merge PATCHes could reach a Qomon that
// replaces before the first answer shows it.
//
// Its zero value is ready: no verdict, nobody probing.
type PatchCheck struct {
	mu      sync.Mutex
	verdict PatchVerdict
	contact int64         // the contact whose PATCH gave the verdict
	probing chan struct{} // non-nil while a probe is out; closed when it ends
}

// Begin is called before a merge PATCH. While the verdict is unknown, one caller at a time is
// told to probe (probe is true): it sends its PATCH alone, judges the answer, and calls End;
// the others wait for it (or for ctx). Once the verdict is known, Begin returns it at once,
// with the contact whose PATCH gave it.
func (p *PatchCheck) Begin(ctx context.Context) (probe bool, verdict PatchVerdict, contact int64, err error) {
	for {
		p.mu.Lock()
		if p.verdict != PatchUnknown {
			verdict, contact = p.verdict, p.contact
			p.mu.Unlock()
			return false, verdict, contact, nil
		}
		if p.probing == nil {
			p.probing = make(chan struct{})
			p.mu.Unlock()
			return true, PatchUnknown, 0, nil
		}
		wait := p.probing
		p.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
			return false, PatchUnknown, 0, ctx.Err()
		}
	}
}

// End records what the PATCH of contact showed (PatchUnknown when it could not tell, or was
// not sent) and, for a probe, lets the next caller go. A replacing verdict is final; a
// merging one stands until a PATCH shows otherwise.
func (p *PatchCheck) End(probe bool, verdict PatchVerdict, contact int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if verdict != PatchUnknown && p.verdict != PatchReplaces {
		p.verdict, p.contact = verdict, contact
	}
	if probe && p.probing != nil {
		close(p.probing)
		p.probing = nil
	}
}
