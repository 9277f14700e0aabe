package contact

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
)

// contactDataSourceAttributes derives the attributes of a contact as the data sources expose
// it from the resource's schema: the same names, types and nesting, every one computed, and
// descriptions without what only concerns managing a contact. Deriving rather than retyping
// means a field added to the resource appears in qomon_contact and qomon_contacts at once, and
// the registry's conversion (reconcile.ObjectOf) fills them all.
func contactDataSourceAttributes() (map[string]dschema.Attribute, error) {
	return computedAttributes(resourceSchema().Attributes, "")
}

func computedAttributes(in map[string]rschema.Attribute, prefix string) (map[string]dschema.Attribute, error) {
	out := make(map[string]dschema.Attribute, len(in))
	names := make([]string, 0, len(in))
	for name := range in {
		names = append(names, name)
	}
	sort.Strings(names) // the first error reported is always the same one
	for _, name := range names {
		a, err := computedAttribute(in[name], prefix+name)
		if err != nil {
			return nil, err
		}
		out[name] = a
	}
	return out, nil
}

// computedAttribute converts one resource attribute. A kind of attribute it does not know is an
// error, not a silent omission: the schema test fails the day the resource uses a new kind.
func computedAttribute(a rschema.Attribute, name string) (dschema.Attribute, error) {
	desc := dataSourceDescription(a.GetMarkdownDescription())
	sensitive := a.IsSensitive()
	switch a := a.(type) {
	case rschema.StringAttribute:
		return dschema.StringAttribute{MarkdownDescription: desc, CustomType: a.CustomType, Computed: true, Sensitive: sensitive}, nil
	case rschema.Int64Attribute:
		return dschema.Int64Attribute{MarkdownDescription: desc, Computed: true, Sensitive: sensitive}, nil
	case rschema.Float64Attribute:
		return dschema.Float64Attribute{MarkdownDescription: desc, Computed: true, Sensitive: sensitive}, nil
	case rschema.BoolAttribute:
		return dschema.BoolAttribute{MarkdownDescription: desc, Computed: true, Sensitive: sensitive}, nil
	case rschema.SetAttribute:
		return dschema.SetAttribute{MarkdownDescription: desc, ElementType: a.ElementType, Computed: true, Sensitive: sensitive}, nil
	case rschema.ListAttribute:
		return dschema.ListAttribute{MarkdownDescription: desc, ElementType: a.ElementType, Computed: true, Sensitive: sensitive}, nil
	case rschema.SingleNestedAttribute:
		attrs, err := computedAttributes(a.Attributes, name+".")
		if err != nil {
			return nil, err
		}
		return dschema.SingleNestedAttribute{MarkdownDescription: desc, Attributes: attrs, Computed: true, Sensitive: sensitive}, nil
	case rschema.ListNestedAttribute:
		obj, err := computedObject(a.NestedObject, name)
		return dschema.ListNestedAttribute{MarkdownDescription: desc, NestedObject: obj, Computed: true, Sensitive: sensitive}, err
	case rschema.SetNestedAttribute:
		obj, err := computedObject(a.NestedObject, name)
		return dschema.SetNestedAttribute{MarkdownDescription: desc, NestedObject: obj, Computed: true, Sensitive: sensitive}, err
	}
	return nil, fmt.Errorf("attribute %s of the qomon_contact resource has a kind (%T) the data sources cannot derive", name, a)
}

// computedObject converts the element of a list or set of objects; with an error, the caller
// drops what it returns.
func computedObject(o rschema.NestedAttributeObject, name string) (dschema.NestedAttributeObject, error) {
	attrs, err := computedAttributes(o.Attributes, name+".")
	return dschema.NestedAttributeObject{Attributes: attrs}, err
}

// resourceOnly matches the sentences of a resource description that speak of managing the
// contact (ownership, defaults, what Terraform compares): they do not apply to a lookup.
var resourceOnly = regexp.MustCompile(`(?i)terraform|managed|configuration|defaults to|when left out|qomon creates a tag`)

// sentenceEnd splits a description into sentences: a period, then a space and a capital or a
// backquote. "e.g. `x`" is not in the descriptions; an abbreviation would at worst split early.
var sentenceEnd = regexp.MustCompile("\\.\\s+(?:[A-Z`(])")

// dataSourceDescription keeps the sentences of a resource description that describe the value.
func dataSourceDescription(desc string) string {
	for _, note := range []string{ownershipNote, wholeNote} {
		desc = strings.ReplaceAll(desc, note, "")
	}
	var kept []string
	for _, s := range splitSentences(desc) {
		if !resourceOnly.MatchString(s) {
			kept = append(kept, s)
		}
	}
	return strings.Join(kept, " ")
}

func splitSentences(s string) []string {
	var out []string
	for {
		loc := sentenceEnd.FindStringIndex(s)
		if loc == nil {
			break
		}
		out = append(out, strings.TrimSpace(s[:loc[0]+1]))
		s = s[loc[1]-1:]
	}
	if s = strings.TrimSpace(s); s != "" {
		out = append(out, s)
	}
	return out
}
