package contact

import (
	"context"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// contactModel is a qomon_contact as Terraform holds it (plan, state or configuration).
type contactModel struct {
	ID         types.Int64  `tfsdk:"id"`
	GroupID    types.Int64  `tfsdk:"group_id"`
	UserID     types.Int64  `tfsdk:"user_id"`
	CreatedAt  types.String `tfsdk:"created_at"`
	UpdatedAt  types.String `tfsdk:"updated_at"`
	LastChange types.String `tfsdk:"lastchange"`

	Firstname     types.String `tfsdk:"firstname"`
	Surname       types.String `tfsdk:"surname"`
	MarriedName   types.String `tfsdk:"married_name"`
	Gender        types.String `tfsdk:"gender"`
	Birthdate     types.String `tfsdk:"birthdate"`
	AgeCategory   types.Int64  `tfsdk:"age_category"`
	BirthCity     types.String `tfsdk:"birth_city"`
	BirthDept     types.String `tfsdk:"birth_dept"`
	BirthCountry  types.String `tfsdk:"birth_country"`
	Nationality   types.String `tfsdk:"nationality"`
	Mail          types.String `tfsdk:"mail"`
	Phone         types.String `tfsdk:"phone"`
	Mobile        types.String `tfsdk:"mobile"`
	PhoneInvalid  types.Bool   `tfsdk:"phone_invalid"`
	MobileInvalid types.Bool   `tfsdk:"mobile_invalid"`
	BlackList     types.Bool   `tfsdk:"black_list"`
	UserContactID types.Int64  `tfsdk:"user_contact_id"`

	Address      types.Object `tfsdk:"address"`       // addressModel
	Tags         types.Set    `tfsdk:"tags"`          // of string
	Notes        types.List   `tfsdk:"notes"`         // of noteModel
	Formdatas    types.Set    `tfsdk:"formdatas"`     // of formAnswerModel
	CustomFields types.Set    `tfsdk:"custom_fields"` // of formAnswerModel
	ActionIDs    types.Set    `tfsdk:"action_ids"`    // of int64
}

type addressModel struct {
	HouseNumber    types.String  `tfsdk:"housenumber"`
	Street         types.String  `tfsdk:"street"`
	Addition       types.String  `tfsdk:"addition"`
	Infos          types.String  `tfsdk:"infos"`
	Building       types.String  `tfsdk:"building"`
	Floor          types.String  `tfsdk:"floor"`
	Door           types.String  `tfsdk:"door"`
	PostalCode     types.String  `tfsdk:"postalcode"`
	City           types.String  `tfsdk:"city"`
	County         types.String  `tfsdk:"county"`
	State          types.String  `tfsdk:"state"`
	Country        types.String  `tfsdk:"country"`
	PollingStation types.String  `tfsdk:"pollingstation"`
	CityCode       types.String  `tfsdk:"citycode"`
	Latitude       types.String  `tfsdk:"latitude"`
	Longitude      types.String  `tfsdk:"longitude"`
	Location       types.String  `tfsdk:"location"`
	Score          types.Float64 `tfsdk:"score"`
	Invalid        types.Bool    `tfsdk:"invalid"`
}

type noteModel struct {
	ID      types.Int64  `tfsdk:"id"`
	Content types.String `tfsdk:"content"`
	Pinned  types.Bool   `tfsdk:"pinned"`
}

type formAnswerModel struct {
	FormID    types.Int64  `tfsdk:"form_id"`
	FormRefID types.Int64  `tfsdk:"form_ref_id"`
	Data      types.String `tfsdk:"data"`
	Date      types.String `tfsdk:"date"`
}

// The attribute types of the nested objects, for building values outside a plan or state.
// TestModelMatchesSchema keeps them in step with resourceSchema.
var (
	addressAttrTypes = map[string]attr.Type{
		"housenumber": types.StringType, "street": types.StringType, "addition": types.StringType,
		"infos": types.StringType, "building": types.StringType, "floor": types.StringType,
		"door": types.StringType, "postalcode": types.StringType, "city": types.StringType,
		"county": types.StringType, "state": types.StringType, "country": types.StringType,
		"pollingstation": types.StringType, "citycode": types.StringType, "latitude": types.StringType,
		"longitude": types.StringType, "location": types.StringType, "score": types.Float64Type,
		"invalid": types.BoolType,
	}
	noteAttrTypes = map[string]attr.Type{
		"id": types.Int64Type, "content": types.StringType, "pinned": types.BoolType,
	}
	formAnswerAttrTypes = map[string]attr.Type{
		"form_id": types.Int64Type, "form_ref_id": types.Int64Type, "data": types.StringType, "date": types.StringType,
	}
	noteType       = types.ObjectType{AttrTypes: noteAttrTypes}
	formAnswerType = types.ObjectType{AttrTypes: formAnswerAttrTypes}
)

// addressInputs are the address parts a person writes; the rest of the address is geocoding.
var addressInputs = []string{
	"housenumber", "street", "addition", "infos", "building", "floor", "door", "postalcode",
	"city", "county", "state", "country", "pollingstation",
}

// addressGeocoded are the address parts Qomon computes from the inputs.
var addressGeocoded = []string{"citycode", "latitude", "longitude", "location", "score", "invalid"}

// expandContact turns a Terraform model into the contact it describes, writable fields only. A
// null attribute becomes an explicit null (the caller decides whether a null is sent); an
// unknown one is left absent.
func expandContact(ctx context.Context, m contactModel) (qomon.Contact, diag.Diagnostics) {
	var diags diag.Diagnostics
	c := qomon.Contact{
		Firstname:     optString(m.Firstname),
		Surname:       optString(m.Surname),
		MarriedName:   optString(m.MarriedName),
		Gender:        optString(m.Gender),
		Birthdate:     optString(m.Birthdate),
		AgeCategory:   optInt64(m.AgeCategory),
		BirthCity:     optString(m.BirthCity),
		BirthDept:     optString(m.BirthDept),
		BirthCountry:  optString(m.BirthCountry),
		Nationality:   optString(m.Nationality),
		Mail:          optString(m.Mail),
		Phone:         optString(m.Phone),
		Mobile:        optString(m.Mobile),
		PhoneInvalid:  optBool(m.PhoneInvalid),
		MobileInvalid: optBool(m.MobileInvalid),
		BlackList:     optBool(m.BlackList),
		UserContactID: optInt64(m.UserContactID),
	}

	switch {
	case m.Address.IsUnknown():
	case m.Address.IsNull():
		c.Address = qomon.Null[qomon.Address]()
	default:
		var a addressModel
		diags.Append(m.Address.As(ctx, &a, objectAsOptions)...)
		c.Address = qomon.Some(qomon.Address{
			HouseNumber: optString(a.HouseNumber), Street: optString(a.Street), Addition: optString(a.Addition),
			Infos: optString(a.Infos), Building: optString(a.Building), Floor: optString(a.Floor),
			Door: optString(a.Door), PostalCode: optString(a.PostalCode), City: optString(a.City),
			County: optString(a.County), State: optString(a.State), Country: optString(a.Country),
			PollingStation: optString(a.PollingStation),
		})
	}

	if !m.Tags.IsUnknown() {
		if m.Tags.IsNull() {
			c.Tags = qomon.Null[[]qomon.Tag]()
		} else {
			var names []types.String
			diags.Append(m.Tags.ElementsAs(ctx, &names, false)...)
			tags := make([]qomon.Tag, 0, len(names))
			for _, n := range names {
				tags = append(tags, qomon.Tag{Name: n.ValueString()})
			}
			c.Tags = qomon.Some(tags)
		}
	}

	if !m.Notes.IsUnknown() {
		if m.Notes.IsNull() {
			c.Notes = qomon.Null[[]qomon.Note]()
		} else {
			var notes []noteModel
			diags.Append(m.Notes.ElementsAs(ctx, &notes, false)...)
			out := make([]qomon.Note, 0, len(notes))
			for _, n := range notes {
				out = append(out, qomon.Note{ID: optInt64(n.ID), Content: n.Content.ValueString(), Pinned: optBool(n.Pinned)})
			}
			c.Notes = qomon.Some(out)
		}
	}

	var d diag.Diagnostics
	c.Formdatas, d = expandAnswers(ctx, m.Formdatas)
	diags.Append(d...)
	c.CustomFields, d = expandAnswers(ctx, m.CustomFields)
	diags.Append(d...)

	if !m.ActionIDs.IsUnknown() {
		if m.ActionIDs.IsNull() {
			c.ActionIDs = qomon.Null[[]int64]()
		} else {
			var ids []types.Int64
			diags.Append(m.ActionIDs.ElementsAs(ctx, &ids, false)...)
			out := make([]int64, 0, len(ids))
			for _, id := range ids {
				out = append(out, id.ValueInt64())
			}
			c.ActionIDs = qomon.Some(out)
		}
	}
	return c, diags
}

func expandAnswers(ctx context.Context, s types.Set) (qomon.Opt[[]qomon.FormData], diag.Diagnostics) {
	switch {
	case s.IsUnknown():
		return qomon.Opt[[]qomon.FormData]{}, nil
	case s.IsNull():
		return qomon.Null[[]qomon.FormData](), nil
	}
	var answers []formAnswerModel
	diags := s.ElementsAs(ctx, &answers, false)
	out := make([]qomon.FormData, 0, len(answers))
	for _, a := range answers {
		out = append(out, qomon.FormData{
			FormID: a.FormID.ValueInt64(), FormRefID: a.FormRefID.ValueInt64(),
			Data: optString(a.Data), Date: optString(a.Date),
		})
	}
	return qomon.Some(out), diags
}

// flattenContact turns a contact as Qomon holds it into the Terraform model. Run it on a
// contact that went through canonicalContact (and reconcileContact, when there is a prior).
// Every attribute comes out known: Qomon's silence is a null.
func flattenContact(ctx context.Context, c qomon.Contact) (contactModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	m := contactModel{
		ID:         int64Value(c.ID),
		GroupID:    int64Value(c.GroupID),
		UserID:     int64Value(c.UserID),
		CreatedAt:  stringValue(c.CreatedAt),
		UpdatedAt:  stringValue(c.UpdatedAt),
		LastChange: stringValue(c.LastChange),

		Firstname:     stringValue(c.Firstname),
		Surname:       stringValue(c.Surname),
		MarriedName:   stringValue(c.MarriedName),
		Gender:        stringValue(c.Gender),
		Birthdate:     stringValue(c.Birthdate),
		AgeCategory:   int64Value(c.AgeCategory),
		BirthCity:     stringValue(c.BirthCity),
		BirthDept:     stringValue(c.BirthDept),
		BirthCountry:  stringValue(c.BirthCountry),
		Nationality:   stringValue(c.Nationality),
		Mail:          stringValue(c.Mail),
		Phone:         stringValue(c.Phone),
		Mobile:        stringValue(c.Mobile),
		PhoneInvalid:  boolValue(c.PhoneInvalid),
		MobileInvalid: boolValue(c.MobileInvalid),
		BlackList:     boolValue(c.BlackList),
		UserContactID: int64Value(c.UserContactID),
	}

	m.Address = types.ObjectNull(addressAttrTypes)
	if a, ok := c.Address.Get(); ok && !addressEmpty(a) {
		obj, d := types.ObjectValueFrom(ctx, addressAttrTypes, addressModel{
			HouseNumber: stringValue(a.HouseNumber), Street: stringValue(a.Street), Addition: stringValue(a.Addition),
			Infos: stringValue(a.Infos), Building: stringValue(a.Building), Floor: stringValue(a.Floor),
			Door: stringValue(a.Door), PostalCode: stringValue(a.PostalCode), City: stringValue(a.City),
			County: stringValue(a.County), State: stringValue(a.State), Country: stringValue(a.Country),
			PollingStation: stringValue(a.PollingStation),
			CityCode:       stringValue(a.CityCode), Latitude: stringValue(a.Latitude), Longitude: stringValue(a.Longitude),
			Location: stringValue(a.Location), Score: float64Value(a.Score), Invalid: boolValue(a.Invalid),
		})
		diags.Append(d...)
		m.Address = obj
	}

	m.Tags = types.SetNull(types.StringType)
	if tags, ok := c.Tags.Get(); ok {
		names := make([]attr.Value, 0, len(tags))
		for _, t := range tags {
			names = append(names, types.StringValue(t.Name))
		}
		set, d := types.SetValue(types.StringType, names)
		diags.Append(d...)
		m.Tags = set
	}

	m.Notes = types.ListNull(noteType)
	if notes, ok := c.Notes.Get(); ok {
		out := make([]noteModel, 0, len(notes))
		for _, n := range notes {
			out = append(out, noteModel{ID: int64Value(n.ID), Content: types.StringValue(n.Content), Pinned: types.BoolValue(pinned(n))})
		}
		list, d := types.ListValueFrom(ctx, noteType, out)
		diags.Append(d...)
		m.Notes = list
	}

	var d diag.Diagnostics
	m.Formdatas, d = flattenAnswers(ctx, c.Formdatas)
	diags.Append(d...)
	m.CustomFields, d = flattenAnswers(ctx, c.CustomFields)
	diags.Append(d...)

	m.ActionIDs = types.SetNull(types.Int64Type)
	if ids, ok := c.ActionIDs.Get(); ok {
		set, d := types.SetValueFrom(ctx, types.Int64Type, ids)
		diags.Append(d...)
		m.ActionIDs = set
	}
	return m, diags
}

func flattenAnswers(ctx context.Context, o qomon.Opt[[]qomon.FormData]) (types.Set, diag.Diagnostics) {
	answers, ok := o.Get()
	if !ok {
		return types.SetNull(formAnswerType), nil
	}
	out := make([]formAnswerModel, 0, len(answers))
	for _, a := range answers {
		out = append(out, formAnswerModel{
			FormID: types.Int64Value(a.FormID), FormRefID: types.Int64Value(a.FormRefID),
			Data: stringValue(a.Data), Date: stringValue(a.Date),
		})
	}
	return types.SetValueFrom(ctx, formAnswerType, out)
}

// canonicalContact rewrites what Qomon returned into one spelling per value, so that the same
// data never reaches state in two forms: empty strings are no value, timestamps are UTC RFC
// 3339, a midnight birthdate is a date, empty collections are no value, and deleted form
// answers are gone. Coordinates stay as Qomon wrote them.
func canonicalContact(c qomon.Contact) qomon.Contact {
	for _, f := range fields {
		if s, ok := f.(scalar[string]); ok {
			if p := s.at(&c, false); p != nil && p.Present() && strings.TrimSpace(p.Value) == "" {
				*p = qomon.Null[string]()
			}
		}
	}
	timestamp := func(o *qomon.Opt[string]) {
		if o.Present() {
			o.Value = canonicalTimestamp(o.Value)
		}
	}
	timestamp(&c.CreatedAt)
	timestamp(&c.UpdatedAt)
	timestamp(&c.LastChange)
	if c.Birthdate.Present() {
		c.Birthdate.Value = canonicalBirthdate(c.Birthdate.Value)
	}
	if c.Address.Present() {
		a := c.Address.Value
		for _, o := range []*qomon.Opt[string]{&a.CityCode, &a.Latitude, &a.Longitude, &a.Location} {
			if o.Present() && strings.TrimSpace(o.Value) == "" {
				*o = qomon.Null[string]()
			}
		}
		c.Address = qomon.Some(a)
	}
	for _, o := range []*qomon.Opt[[]qomon.FormData]{&c.Formdatas, &c.CustomFields} {
		if !o.Present() {
			continue
		}
		kept := make([]qomon.FormData, 0, len(o.Value))
		for _, d := range o.Value {
			if deleted := strings.TrimSpace(string(d.Unknown["deleted_at"])); deleted != "" && deleted != "null" && deleted != `""` {
				continue // soft-deleted by an earlier PATCH (qomon-api.md §4 point 7)
			}
			if d.Data.Present() && strings.TrimSpace(d.Data.Value) == "" {
				d.Data = qomon.Null[string]()
			}
			if d.Date.Present() {
				d.Date.Value = canonicalTimestamp(d.Date.Value)
			}
			kept = append(kept, d)
		}
		o.Value = kept
	}
	// Qomon answers [] for "none"; an empty collection is no value, like an empty string, so
	// that an imported contact does not claim to manage collections it has nothing in.
	// reconcileContact gives [] back where the configuration wrote [].
	if len(c.Tags.Value) == 0 {
		c.Tags = nullIfSet(c.Tags)
	}
	if len(c.Notes.Value) == 0 {
		c.Notes = nullIfSet(c.Notes)
	}
	if len(c.Formdatas.Value) == 0 {
		c.Formdatas = nullIfSet(c.Formdatas)
	}
	if len(c.CustomFields.Value) == 0 {
		c.CustomFields = nullIfSet(c.CustomFields)
	}
	if len(c.ActionIDs.Value) == 0 {
		c.ActionIDs = nullIfSet(c.ActionIDs)
	}
	if c.Tags.Present() {
		// Sorted only to make state and logs stable; tags are a set.
		tags := append([]qomon.Tag(nil), c.Tags.Value...)
		sort.SliceStable(tags, func(i, j int) bool { return tags[i].Name < tags[j].Name })
		c.Tags.Value = tags
	}
	return c
}

// nullIfSet turns a present value into an explicit null, and leaves an absent one absent.
func nullIfSet[T any](o qomon.Opt[T]) qomon.Opt[T] {
	if o.Set {
		return qomon.Null[T]()
	}
	return o
}

// reconcileContact gives a contact fresh from Qomon the spelling of prior (the plan or the
// state it replaces) wherever the two mean the same: the mail's case, a birthdate written as
// a date, a postal code Qomon returned as a number, accents composed differently, tags in
// another order, form answers whose data or date the configuration left to Qomon.
func reconcileContact(fresh, prior qomon.Contact) qomon.Contact {
	out := fresh
	for _, f := range fields {
		f.reconcile(&out, &prior)
	}
	return out
}

// addressEmpty reports whether Qomon's address holds nothing a person would call an address:
// no part a person enters. Geocoding left behind by an address whose parts were all cleared
// (Qomon may keep "invalid": true and a score) is no address either; keeping it would give
// state an address whose every writable part is null, which -generate-config-out writes out
// as an address the configuration validator rightly refuses.
func addressEmpty(a qomon.Address) bool {
	for _, o := range []qomon.Opt[string]{
		a.HouseNumber, a.Street, a.Addition, a.Infos, a.Building, a.Floor, a.Door, a.PostalCode,
		a.City, a.County, a.State, a.Country, a.PollingStation,
	} {
		if o.Present() {
			return false
		}
	}
	return true
}

// objectAsOptions reads nested objects strictly: a model never sees a half-known object.
var objectAsOptions = basetypes.ObjectAsOptions{}

func optString(v types.String) qomon.Opt[string] {
	switch {
	case v.IsUnknown():
		return qomon.Opt[string]{}
	case v.IsNull():
		return qomon.Null[string]()
	}
	return qomon.Some(v.ValueString())
}

func optInt64(v types.Int64) qomon.Opt[int64] {
	switch {
	case v.IsUnknown():
		return qomon.Opt[int64]{}
	case v.IsNull():
		return qomon.Null[int64]()
	}
	return qomon.Some(v.ValueInt64())
}

func optBool(v types.Bool) qomon.Opt[bool] {
	switch {
	case v.IsUnknown():
		return qomon.Opt[bool]{}
	case v.IsNull():
		return qomon.Null[bool]()
	}
	return qomon.Some(v.ValueBool())
}

func stringValue(o qomon.Opt[string]) types.String {
	if v, ok := o.Get(); ok {
		return types.StringValue(v)
	}
	return types.StringNull()
}

func int64Value(o qomon.Opt[int64]) types.Int64 {
	if v, ok := o.Get(); ok {
		return types.Int64Value(v)
	}
	return types.Int64Null()
}

func boolValue(o qomon.Opt[bool]) types.Bool {
	if v, ok := o.Get(); ok {
		return types.BoolValue(v)
	}
	return types.BoolNull()
}

func float64Value(o qomon.Opt[float64]) types.Float64 {
	if v, ok := o.Get(); ok {
		return types.Float64Value(v)
	}
	return types.Float64Null()
}
