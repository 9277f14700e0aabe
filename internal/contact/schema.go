package contact

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/qomon/terraform-provider-qomon/internal/contact/reconcile"
)

// ownershipNote ends the description of every writable attribute, because it is the one rule a
// reader must know before setting or removing any of them; the resource page explains it.
const ownershipNote = " Managed only while the configuration sets it: see " +
	"[Which fields Terraform manages](#which-fields-terraform-manages)."

// wholeNote says what managing a collection as a whole means.
const wholeNote = " Managed as a whole: when the configuration sets it, the contact has exactly these."

// resourceSchema is the schema of the qomon_contact resource, derived from the field registry
// (reconcile.Fields): names, types, descriptions, validation. It is a function, not a value
// inside Schema(), so that tests can check it and the data sources can derive theirs from it.
func resourceSchema() schema.Schema {
	attrs := map[string]schema.Attribute{}
	for _, f := range reconcile.Fields {
		if f.Group() == "" {
			attrs[f.Name] = resourceAttribute(f.Attr, fieldDoc(f))
		}
	}
	for _, g := range reconcile.Groups {
		parts := map[string]schema.Attribute{}
		for _, f := range reconcile.Fields {
			if f.Group() == g.Name {
				parts[f.Name] = resourceAttribute(f.Attr, attrDoc(f.Attr))
			}
		}
		attrs[g.Name] = schema.SingleNestedAttribute{
			MarkdownDescription: g.Doc,
			Optional:            true,
			Computed:            true,
			Attributes:          parts,
		}
	}
	return schema.Schema{
		MarkdownDescription: "A contact in a Qomon space (a person in the CRM).\n\n" +
			"People edit contacts in the Qomon app every day, so this resource only manages the attributes its " +
			"configuration sets. Every other attribute mirrors what Qomon holds (readable from other resources) and " +
			"is never changed by Terraform. Removing an attribute from the configuration clears it in Qomon once; " +
			"from then on it is no longer managed.\n\n" +
			"Updates are made in place. With the provider's default `update_mode = \"replace\"` the contact is read " +
			"again just before it is written: if an attribute about to change was edited in Qomon since the plan, " +
			"the apply stops without writing anything and names that attribute.",
		Attributes: attrs,
	}
}

// fieldDoc is the description of a top-level field.
func fieldDoc(f reconcile.Field) string {
	doc := attrDoc(f.Attr)
	if f.Whole {
		doc += wholeNote
	}
	if f.Writable() {
		doc += ownershipNote
	}
	return doc
}

// attrDoc is an attribute's own documentation, with what its meaning and its role add.
func attrDoc(a reconcile.Attr) string {
	doc := a.Doc
	if a.Meaning.Doc != "" {
		doc += " " + a.Meaning.Doc
	}
	return doc
}

// resourceAttribute builds the schema attribute of a registry attribute.
func resourceAttribute(a reconcile.Attr, doc string) schema.Attribute {
	optional, computed, required := false, false, false
	switch a.Role {
	case reconcile.RoleManaged, reconcile.RoleDefaulted:
		optional, computed = true, true
	case reconcile.RoleComputed:
		computed = true
	case reconcile.RoleRequired:
		required = true
	case reconcile.RoleOptional:
		optional = true
	}
	check := checkValidator{checks: a.Checks}
	switch a.Kind {
	case reconcile.KindText:
		s := schema.StringAttribute{MarkdownDescription: doc, Optional: optional, Computed: computed, Required: required}
		if t, ok := typeOfText(a.Meaning).(basetypes.StringTypable); ok && a.Meaning.Name != "" {
			s.CustomType = t
		}
		if len(a.Checks) > 0 {
			s.Validators = []validator.String{check}
		}
		return s
	case reconcile.KindInt:
		s := schema.Int64Attribute{MarkdownDescription: doc, Optional: optional, Computed: computed, Required: required}
		if len(a.Checks) > 0 {
			s.Validators = []validator.Int64{check}
		}
		return s
	case reconcile.KindBool:
		s := schema.BoolAttribute{MarkdownDescription: doc, Optional: optional, Computed: computed, Required: required}
		if b, ok := a.Default.(bool); ok && a.Role == reconcile.RoleDefaulted {
			s.Default = booldefault.StaticBool(b)
		}
		return s
	case reconcile.KindFloat:
		return schema.Float64Attribute{MarkdownDescription: doc, Optional: optional, Computed: computed, Required: required}
	case reconcile.KindTextSet, reconcile.KindIntSet:
		var elem attr.Type = types.Int64Type
		if a.Kind == reconcile.KindTextSet {
			elem = typeOfText(a.Meaning)
		}
		s := schema.SetAttribute{MarkdownDescription: doc, ElementType: elem, Optional: optional, Computed: computed, Required: required}
		if len(a.Checks) > 0 {
			s.Validators = []validator.Set{check}
		}
		return s
	case reconcile.KindObjectList:
		return schema.ListNestedAttribute{MarkdownDescription: doc, Optional: optional, Computed: computed, Required: required,
			NestedObject: schema.NestedAttributeObject{Attributes: elemAttributes(a)}}
	case reconcile.KindObjectSet:
		return schema.SetNestedAttribute{MarkdownDescription: doc, Optional: optional, Computed: computed, Required: required,
			NestedObject: schema.NestedAttributeObject{Attributes: elemAttributes(a)}}
	}
	return schema.SingleNestedAttribute{MarkdownDescription: doc, Optional: optional, Computed: computed, Required: required,
		Attributes: elemAttributes(a)}
}

func elemAttributes(a reconcile.Attr) map[string]schema.Attribute {
	out := make(map[string]schema.Attribute, len(a.Elems))
	for _, e := range a.Elems {
		out[e.Name] = resourceAttribute(e, attrDoc(e))
	}
	return out
}
