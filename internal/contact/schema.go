package contact

import (
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// ownershipNote ends the description of every writable attribute, because it is the one rule a
// reader must know before setting or removing any of them; the resource page explains it.
const ownershipNote = " Managed only while the configuration sets it: see " +
	"[Which fields Terraform manages](#which-fields-terraform-manages)."

// resourceSchema is the schema of the qomon_contact resource. It is a function, not a value
// inside Schema(), so that tests can check the model against it and the data sources can
// derive theirs from it.
func resourceSchema() schema.Schema {
	return schema.Schema{
		MarkdownDescription: "A contact in a Qomon space (a person in the CRM).\n\n" +
			"People edit contacts in the Qomon app every day, so this resource only manages the attributes its " +
			"configuration sets. Every other attribute mirrors what Qomon holds (readable from other resources) and " +
			"is never changed by Terraform. Removing an attribute from the configuration clears it in Qomon once; " +
			"from then on it is no longer managed.\n\n" +
			"Updates are made in place. With the provider's default `update_mode = \"replace\"` the contact is read " +
			"again just before it is written: if an attribute about to change was edited in Qomon since the plan, " +
			"the apply stops without writing anything and names that attribute.",
		Attributes: map[string]schema.Attribute{
			"id": schema.Int64Attribute{
				MarkdownDescription: "Qomon's id of the contact.",
				Computed:            true,
			},
			"group_id": schema.Int64Attribute{
				MarkdownDescription: "Id of the Qomon space that holds the contact.",
				Computed:            true,
			},
			"user_id": schema.Int64Attribute{
				MarkdownDescription: "Id of the Qomon user who last updated the contact.",
				Computed:            true,
			},
			"created_at": schema.StringAttribute{
				MarkdownDescription: "When the contact was created (RFC 3339, UTC).",
				Computed:            true,
			},
			"updated_at": schema.StringAttribute{
				MarkdownDescription: "When the contact was last written, by anyone (RFC 3339, UTC).",
				Computed:            true,
			},
			"lastchange": schema.StringAttribute{
				MarkdownDescription: "When a person last changed the contact, as Qomon records it (RFC 3339, UTC).",
				Computed:            true,
			},

			"firstname":    textAttribute("First name."),
			"surname":      textAttribute("Surname (family name)."),
			"married_name": textAttribute("Married name."),
			"gender": textAttribute("Gender: `M`, `F` or `O` (other).",
				stringvalidator.OneOf("M", "F", "O")),
			"birthdate": textAttribute("Date of birth, as `YYYY-MM-DD` (or an RFC 3339 timestamp). Qomon stores it as "+
				"a timestamp; a date and the timestamp of its midnight (UTC) are the same value and never show as a difference.",
				dateValidator{}),
			"age_category": schema.Int64Attribute{
				MarkdownDescription: "Age bracket, `0` to `6` as configured in the Qomon space (by default `0` is 18 or under, `1` is 18 to 25, and so on)." + ownershipNote,
				Optional:            true,
				Computed:            true,
				Validators:          []validator.Int64{int64validator.Between(0, 6)},
			},
			"birth_city":    textAttribute("City of birth."),
			"birth_dept":    textAttribute("Department or county of birth."),
			"birth_country": textAttribute("Country of birth."),
			"nationality":   textAttribute("Nationality."),
			"mail": textAttribute("E-mail address. Compared without regard to case: `Jane@Example.org` and "+
				"`jane@example.org` are the same address.", mailValidator{}),
			"phone":  textAttribute("Landline phone number, as text (leading zeros and `+` are kept)."),
			"mobile": textAttribute("Mobile phone number, as text (leading zeros and `+` are kept)."),
			"phone_invalid": schema.BoolAttribute{
				MarkdownDescription: "Whether the landline number is known to be wrong." + ownershipNote,
				Optional:            true,
				Computed:            true,
			},
			"mobile_invalid": schema.BoolAttribute{
				MarkdownDescription: "Whether the mobile number is known to be wrong." + ownershipNote,
				Optional:            true,
				Computed:            true,
			},
			"black_list": schema.BoolAttribute{
				MarkdownDescription: "When `true`, Qomon prevents any communication with the contact." + ownershipNote,
				Optional:            true,
				Computed:            true,
			},
			"user_contact_id": schema.Int64Attribute{
				MarkdownDescription: "Id of the Qomon user this contact is." + ownershipNote,
				Optional:            true,
				Computed:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},

			"address": schema.SingleNestedAttribute{
				MarkdownDescription: "Postal address. Each part is managed on its own: the parts the configuration sets " +
					"are managed, the others mirror Qomon. Qomon geocodes the address after every change of a part " +
					"(`citycode`, `latitude`, `longitude`, `location`, `score`, `invalid`).",
				Optional:   true,
				Computed:   true,
				Attributes: addressAttributes(),
				Validators: []validator.Object{addressNotEmpty{}},
			},
			"tags": schema.SetAttribute{
				MarkdownDescription: "Names of the tags on the contact, in any order. Qomon creates a tag the first time " +
					"a contact carries it. Managed as a whole: when set, the contact carries exactly these tags." + ownershipNote,
				ElementType: types.StringType,
				Optional:    true,
				Computed:    true,
				Validators:  []validator.Set{setvalidator.ValueStringsAre(notBlank{})},
			},
			"notes": schema.ListNestedAttribute{
				MarkdownDescription: "Notes on the contact, in order. Managed as a whole: when set, the contact has exactly " +
					"these notes." + ownershipNote,
				Optional: true,
				Computed: true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id": schema.Int64Attribute{
							MarkdownDescription: "Qomon's id of the note.",
							Computed:            true,
						},
						"content": schema.StringAttribute{
							MarkdownDescription: "Text of the note.",
							Required:            true,
							Validators:          []validator.String{notBlank{}},
						},
						"pinned": schema.BoolAttribute{
							MarkdownDescription: "Whether the note is pinned at the top of the contact. Defaults to `false`.",
							Optional:            true,
							Computed:            true,
							Default:             booldefault.StaticBool(false),
						},
					},
				},
			},
			"formdatas": schema.SetNestedAttribute{
				MarkdownDescription: "Answers to Qomon's advanced fields: consents, level of support, presence, surveys, " +
					"tasks (see the `qomon_form` data source for their ids). Managed as a whole: when set, the contact " +
					"has exactly these answers." + ownershipNote,
				Optional:     true,
				Computed:     true,
				NestedObject: formAnswerObject(),
			},
			"custom_fields": schema.SetNestedAttribute{
				MarkdownDescription: "Answers to the space's custom fields (forms of type `custom_fields`). Managed as a " +
					"whole: when set, the contact has exactly these answers." + ownershipNote,
				Optional:     true,
				Computed:     true,
				NestedObject: formAnswerObject(),
			},
			"action_ids": schema.SetAttribute{
				MarkdownDescription: "Ids of the Qomon actions (canvassing, calls, events) the contact is linked to. " +
					"Managed as a whole." + ownershipNote,
				ElementType: types.Int64Type,
				Optional:    true,
				Computed:    true,
				Validators:  []validator.Set{setvalidator.ValueInt64sAre(int64validator.AtLeast(1))},
			},
		},
	}
}

// textAttribute is a writable, optional text attribute. Empty text is refused: to say "no
// value", leave the attribute out (and Qomon's empty strings are read as no value).
func textAttribute(description string, validators ...validator.String) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: description + ownershipNote,
		Optional:            true,
		Computed:            true,
		Validators:          append([]validator.String{notBlank{}}, validators...),
	}
}

func addressAttributes() map[string]schema.Attribute {
	part := func(description string) schema.StringAttribute {
		return schema.StringAttribute{
			MarkdownDescription: description,
			Optional:            true,
			Computed:            true,
			Validators:          []validator.String{notBlank{}},
		}
	}
	geocoded := func(description string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: description + " Set by Qomon's geocoding.", Computed: true}
	}
	return map[string]schema.Attribute{
		"housenumber":    part("House number, as text (`12`, `12 bis`)."),
		"street":         part("Street."),
		"addition":       part("Second address line."),
		"infos":          part("Further delivery information."),
		"building":       part("Building."),
		"floor":          part("Floor, as text."),
		"door":           part("Door."),
		"postalcode":     part("Postal code, as text so that leading zeros are kept (`07000`)."),
		"city":           part("City."),
		"county":         part("County."),
		"state":          part("State or region."),
		"country":        part("Country."),
		"pollingstation": part("Polling station."),
		"citycode":       geocoded("Code of the city (the INSEE code in France)."),
		"latitude":       geocoded("Latitude, in decimal degrees."),
		"longitude":      geocoded("Longitude, in decimal degrees."),
		"location":       geocoded("`latitude,longitude`."),
		"score": schema.Float64Attribute{
			MarkdownDescription: "Confidence of the geocoding, from 0 to 1. Set by Qomon's geocoding.",
			Computed:            true,
		},
		"invalid": schema.BoolAttribute{
			MarkdownDescription: "Whether geocoding found the address to be invalid. Set by Qomon's geocoding.",
			Computed:            true,
		},
	}
}

func formAnswerObject() schema.NestedAttributeObject {
	return schema.NestedAttributeObject{
		Attributes: map[string]schema.Attribute{
			"form_id": schema.Int64Attribute{
				MarkdownDescription: "Id of the form (the question).",
				Required:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},
			"form_ref_id": schema.Int64Attribute{
				MarkdownDescription: "Id of the chosen answer option; for a free-text form, the id of its single option.",
				Required:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},
			"data": schema.StringAttribute{
				MarkdownDescription: "The answer: free text for text, number and date forms, otherwise the option's " +
					"value. When left out, Qomon fills it in and Terraform does not compare it.",
				Optional:   true,
				Validators: []validator.String{notBlank{}},
			},
			"date": schema.StringAttribute{
				MarkdownDescription: "When the answer was given (RFC 3339). When left out, Qomon dates the answer and " +
					"Terraform does not compare it.",
				Optional:   true,
				Validators: []validator.String{dateValidator{}},
			},
		},
	}
}
