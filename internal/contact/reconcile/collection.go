package reconcile

import (
	"sort"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// collection is a list or set managed as a whole and compared element by element.
type collection[E any] struct {
	at        func(c *qomon.Contact) *qomon.Opt[[]E]
	unordered bool // a set: elements match regardless of position
	// sameElem compares two elements as a plan shows them; equalElem by meaning, prior (the
	// Terraform side) first.
	sameElem, equalElem func(a, b E) bool
	// merge gives a fresh element the spelling of the prior element it equals.
	merge func(prior, fresh E) E
	// specificity orders prior elements before matching, most constrained first, so that a
	// greedy match cannot give a loose element the partner a strict one needed.
	specificity func(E) int
	// toValue and fromValue convert an element to and from a Value.
	toValue   func(E) Value
	fromValue func(Value) E
	// canonElem rewrites an element Qomon answered into state's spelling; false drops it.
	canonElem func(E) (E, bool)
	// less, when set, orders the elements in state (a set: only to keep state and logs stable).
	less func(a, b E) bool
	// wireElem rewrites an element the way a request says it.
	wireElem func(E) E
	// For Differences: name names an element of a set without its value; elemKey is what
	// identifies an element of a set that Qomon may store in another form (nil: none);
	// diffElem says how a stored element differs from the planned one, each line starting with
	// the attribute (".content: ...") or ": ".
	name     func(E) string
	elemKey  func(E) string
	diffElem func(planned, stored E) []string
}

func (l collection[E]) get(c *qomon.Contact) Value {
	v, ok := l.at(c).Get()
	if !ok {
		return nil
	}
	out := make([]Value, 0, len(v))
	for _, e := range v {
		out = append(out, l.toValue(e))
	}
	return out
}

func (l collection[E]) put(c *qomon.Contact, v Value) {
	if IsUnknown(v) {
		return
	}
	elems, ok := v.([]Value)
	if !ok {
		*l.at(c) = qomon.Null[[]E]()
		return
	}
	out := make([]E, 0, len(elems))
	for _, e := range elems {
		if IsUnknown(e) {
			// An element only known at apply time: so is the collection.
			*l.at(c) = qomon.Opt[[]E]{}
			return
		}
		out = append(out, l.fromValue(e))
	}
	*l.at(c) = qomon.Some(out)
}

// canonical drops what Qomon answers for "none" ([] is no value, like an empty string, so that
// an imported contact does not claim to manage collections it has nothing in; KeepSpelling gives
// [] back where the configuration wrote []), and rewrites each element into state's spelling.
func (l collection[E]) canonical(c *qomon.Contact) {
	p := l.at(c)
	if !p.Present() {
		return
	}
	out := make([]E, 0, len(p.Value))
	for _, e := range p.Value {
		if l.canonElem != nil {
			var keep bool
			if e, keep = l.canonElem(e); !keep {
				continue
			}
		}
		out = append(out, e)
	}
	if len(out) == 0 {
		*p = qomon.Null[[]E]()
		return
	}
	if l.less != nil {
		sort.SliceStable(out, func(i, j int) bool { return l.less(out[i], out[j]) })
	}
	p.Value = out
}

func (l collection[E]) equal(a, b *qomon.Contact) bool {
	return l.matches(*l.at(a), *l.at(b), l.equalElem) != nil
}

func (l collection[E]) same(a, b *qomon.Contact) bool {
	oa, ob := *l.at(a), *l.at(b)
	if oa.Present() != ob.Present() {
		// null and [] look different in a plan.
		return false
	}
	return l.matches(oa, ob, l.sameElem) != nil
}

func (l collection[E]) copyTo(dst, src *qomon.Contact) {
	v := *l.at(src)
	if !v.Present() {
		*l.at(dst) = qomon.Null[[]E]()
		return
	}
	*l.at(dst) = qomon.Some(append([]E(nil), v.Value...))
}

func (l collection[E]) toWire(c *qomon.Contact, replace bool) {
	p := l.at(c)
	if p.Present() && l.wireElem != nil {
		out := make([]E, 0, len(p.Value))
		for _, e := range p.Value {
			out = append(out, l.wireElem(e))
		}
		p.Value = out
	}
	if replace && p.Set && p.Null {
		*p = qomon.Some([]E{})
	}
}

func (l collection[E]) sent(body *qomon.Contact) bool { return l.at(body).Set }

func (l collection[E]) keepSpelling(dst, prior *qomon.Contact) {
	p, d := *l.at(prior), *l.at(dst)
	if len(p.Value) == 0 && len(d.Value) == 0 {
		// Qomon may answer [] or null or nothing for "none"; keep whichever the prior had.
		if p.Set {
			*l.at(dst) = p
		}
		return
	}
	pairs := l.partialMatch(p.Value, d.Value)
	out := append([]E(nil), d.Value...)
	for fi, pi := range pairs {
		out[fi] = l.merge(p.Value[pi], d.Value[fi])
	}
	*l.at(dst) = qomon.Some(out)
}

// planElements plans a configured collection (cfg, as Terraform proposes it) that does not mean
// the same as the one in state (st) as a whole, element by element, so that the plan shows a
// change only for the elements that change:
//
//   - a configured element that means the same as an element in state is planned as state holds
//     it: Qomon's spelling and the parts Qomon filled in (an answer's date, a note's id) stay;
//   - in a list, a configured element that takes the place of a state element that no
//     configured element means is that element edited: it keeps what Qomon computed for it (a
//     note keeps its id, so Qomon keeps the note and its creation date);
//   - any other element is new: the parts Qomon computes (computed) are unknown.
func (l collection[E]) planElements(cfg, st []Value, computed []string) []Value {
	cfgE := make([]E, len(cfg))
	for i, v := range cfg {
		cfgE[i] = l.fromValue(v)
	}
	stE := make([]E, len(st))
	for i, v := range st {
		stE[i] = l.fromValue(v)
	}
	pairs := l.pair(cfgE, stE, l.equalElem)
	stateOf := make(map[int]int, len(pairs)) // configured index -> state index
	used := make(map[int]bool, len(pairs))
	for si, ci := range pairs {
		stateOf[ci] = si
		used[si] = true
	}
	out := make([]Value, len(cfg))
	for i, v := range cfg {
		if si, ok := stateOf[i]; ok {
			out[i] = st[si]
			continue
		}
		if !l.unordered && i < len(st) && !used[i] {
			used[i] = true
			out[i] = withParts(v, st[i], computed)
			continue
		}
		out[i] = withParts(v, Unknown, computed)
	}
	return out
}

// withParts returns the element v with its computed parts taken from from (an element Value),
// or unknown when from is Unknown.
func withParts(v, from Value, computed []string) Value {
	m, ok := v.(Object)
	if !ok || len(computed) == 0 {
		return v
	}
	src, _ := from.(Object)
	cp := clone(m)
	for _, name := range computed {
		if IsUnknown(from) {
			cp[name] = Unknown
		} else {
			cp[name] = src[name]
		}
	}
	return cp
}

// matches pairs every element of a with one of b (index in b -> index in a); nil when the
// collections differ in length or some element has no partner. An absent or null collection is
// empty.
func (l collection[E]) matches(a, b qomon.Opt[[]E], eq func(x, y E) bool) map[int]int {
	if len(a.Value) != len(b.Value) {
		return nil
	}
	if !l.unordered {
		pairs := make(map[int]int, len(a.Value))
		for i := range a.Value {
			if !eq(a.Value[i], b.Value[i]) {
				return nil
			}
			pairs[i] = i
		}
		return pairs
	}
	pairs := l.pair(a.Value, b.Value, eq)
	if len(pairs) != len(a.Value) {
		return nil
	}
	return pairs
}

// partialMatch pairs as many prior elements with fresh ones as equalElem allows, for keeping
// the spelling of a collection that changed in part.
func (l collection[E]) partialMatch(prior, fresh []E) map[int]int {
	if !l.unordered {
		pairs := map[int]int{}
		for i := range fresh {
			if i < len(prior) && l.equalElem(prior[i], fresh[i]) {
				pairs[i] = i
			}
		}
		return pairs
	}
	return l.pair(prior, fresh, l.equalElem)
}

// pair matches elements of a (most specific first) with unused elements of b.
func (l collection[E]) pair(a, b []E, eq func(x, y E) bool) map[int]int {
	order := make([]int, len(a))
	for i := range order {
		order[i] = i
	}
	if l.specificity != nil {
		sort.SliceStable(order, func(i, j int) bool { return l.specificity(a[order[i]]) > l.specificity(a[order[j]]) })
	}
	used := make([]bool, len(b))
	pairs := map[int]int{}
	for _, ai := range order {
		for bi := range b {
			if !used[bi] && eq(a[ai], b[bi]) {
				used[bi] = true
				pairs[bi] = ai
				break
			}
		}
	}
	return pairs
}
