package form

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func (d *dataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up a Qomon form (a consent, a level of support, a presence status, a custom field, " +
			"a survey question or a task) by its type and label, and exposes the ids a `qomon_contact` needs to record " +
			"an answer in `formdatas` or `custom_fields`, so that a configuration never hard-codes numeric ids.\n\n" +
			"Answers to `custom_fields` forms go in a contact's `custom_fields`; answers to every other type go in its " +
			"`formdatas`. For a form with answer options (radio, checkbox), `form_ref_id` is the option's id, found in " +
			"`options` by its label or value, and `data` is the option's value. For a free-text form (text, numeric, " +
			"date...), `form_ref_id` is the id of the form's single entry in `values`, and `data` is the text.",
		Attributes: map[string]schema.Attribute{
			"type": schema.StringAttribute{
				MarkdownDescription: "The family of the form: one of " + quoted(Types) + ".",
				Required:            true,
				Validators:          []validator.String{stringvalidator.OneOf(Types...)},
			},
			"label": schema.StringAttribute{
				MarkdownDescription: "The form's label as shown in Qomon, matched exactly (case included). " +
					"Exactly one of `label` and `id` must be set. When several forms of the type share the label, " +
					"the lookup fails and lists their ids: set `id` instead.",
				Optional: true,
				Computed: true,
				Validators: []validator.String{
					stringvalidator.LengthAtLeast(1),
				},
			},
			"id": schema.Int64Attribute{
				MarkdownDescription: "The form's id, used as `form_id` in a contact's `formdatas` or `custom_fields`. " +
					"Exactly one of `label` and `id` must be set; when `id` is set the form must be of the given `type`.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.Int64{int64validator.AtLeast(1)},
			},
			"input_type": schema.StringAttribute{
				MarkdownDescription: "How the form is answered, as Qomon names it: `radio` (one option), `checkbox` " +
					"(several options), `text`, `numeric`, `date`, `range` and others.",
				Computed: true,
			},
			"section": schema.StringAttribute{
				MarkdownDescription: "The section of the Qomon app the form is shown in.",
				Computed:            true,
			},
			"hidden": schema.BoolAttribute{
				MarkdownDescription: "Whether the form is hidden in the Qomon app.",
				Computed:            true,
			},
			"mandatory": schema.BoolAttribute{
				MarkdownDescription: "Whether the Qomon app requires an answer to the form.",
				Computed:            true,
			},
			"options": schema.MapAttribute{
				MarkdownDescription: "The form's answer options: a map from each option's label, and from each option's " +
					"value, to the option's id (the `form_ref_id` of an answer). A key that would name two different " +
					"options is left out (with a warning); find those options in `values`.",
				ElementType: types.Int64Type,
				Computed:    true,
			},
			"values": schema.ListNestedAttribute{
				MarkdownDescription: "Every entry of the form, in Qomon's order. A free-text form has exactly one, " +
					"whose `id` is the `form_ref_id` of its answers.",
				Computed: true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id": schema.Int64Attribute{
							MarkdownDescription: "The entry's id, the `form_ref_id` of an answer.",
							Computed:            true,
						},
						"label": schema.StringAttribute{
							MarkdownDescription: "The entry's label as shown in Qomon.",
							Computed:            true,
						},
						"value": schema.StringAttribute{
							MarkdownDescription: "The entry's value, the `data` of an answer that picks this option.",
							Computed:            true,
						},
					},
				},
			},
		},
	}
}

func (d *dataSource) ConfigValidators(_ context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("label"), path.MatchRoot("id")),
	}
}

// quoted renders strings as a `a`, `b` list for Markdown documentation.
func quoted(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = "`" + s + "`"
	}
	return strings.Join(q, ", ")
}
