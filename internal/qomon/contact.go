package qomon

// Contact is a Qomon contact as it travels on the wire
// (https://developers.qomon.com/api-reference/contacts/create-a-contact).
//
// Every field is an Opt so that the client can tell "not sent / not received" from "null" from
// a value. The JSON tags give the spelling the client WRITES; decoding accepts every spelling
// the docs have shown (see UnmarshalJSON). Keys the client does not model are kept in Unknown
// and written back unchanged, so that a read-modify-write PATCH never drops data we do not know.
type Contact struct {
	Extra // the keys the fields below do not model

	// Read-only, assigned by Qomon. Never sent by the client on create or update.
	ID               Opt[int64]  `json:"id,omitzero"`
	GroupID          Opt[int64]  `json:"group_id,omitzero"`
	UserID           Opt[int64]  `json:"user_id,omitzero"`
	CreatedAt        Opt[string] `json:"CreatedAt,omitzero"`
	UpdatedAt        Opt[string] `json:"UpdatedAt,omitzero"`
	LastChange       Opt[string] `json:"lastchange,omitzero"`
	LastChangeUserID Opt[int64]  `json:"lastchangeuserid,omitzero"`

	// Writable scalars.
	Firstname       Opt[string] `json:"firstname,omitzero"`
	Surname         Opt[string] `json:"surname,omitzero"`
	MarriedName     Opt[string] `json:"married_name,omitzero"`
	Gender          Opt[string] `json:"gender,omitzero"`    // M, F or O
	Birthdate       Opt[string] `json:"birthdate,omitzero"` // as Qomon sends it, e.g. 1955-07-06T00:00:00Z
	AgeCategory     Opt[int64]  `json:"age_category,omitzero"`
	BirthCity       Opt[string] `json:"birth_city,omitzero"`    // also read as birthcity
	BirthDept       Opt[string] `json:"birth_dept,omitzero"`    // also read as birthdept
	BirthCountry    Opt[string] `json:"birth_country,omitzero"` // also read as birthcountry
	Nationality     Opt[string] `json:"nationality,omitzero"`
	Mail            Opt[string] `json:"mail,omitzero"`
	Phone           Opt[string] `json:"phone,omitzero"`
	Mobile          Opt[string] `json:"mobile,omitzero"`
	PhoneInvalid    Opt[bool]   `json:"phone_invalid,omitzero"`
	MobileInvalid   Opt[bool]   `json:"mobile_invalid,omitzero"`
	BlackList       Opt[bool]   `json:"black_list,omitzero"`
	UserContactID   Opt[int64]  `json:"user_contact_id,omitzero"`
	NationBuilderID Opt[int64]  `json:"nationbuilderid,omitzero"`

	Address      Opt[Address]    `json:"address,omitzero"`
	Tags         Opt[[]Tag]      `json:"tags,omitzero"`
	Notes        Opt[[]Note]     `json:"notes,omitzero"`
	Formdatas    Opt[[]FormData] `json:"formdatas,omitzero"`
	CustomFields Opt[[]FormData] `json:"custom_fields,omitzero"` // also read as customfields
	ActionIDs    Opt[[]int64]    `json:"action_ids,omitzero"`    // also read as actions_ids
}

// contactFields lists every modelled key with the spellings accepted on read (Qomon's old and
// new documentation differ, see the package doc): the first spelling is the one MarshalJSON
// writes. It also says which keys hold personal data (masked in logs) and which ones Qomon's
// search sorts by.
var contactFields = []objectField[Contact]{
	intField(func(c *Contact) *Opt[int64] { return &c.ID }, "id"),
	computed(intField(func(c *Contact) *Opt[int64] { return &c.GroupID }, "group_id")),
	computed(intField(func(c *Contact) *Opt[int64] { return &c.UserID }, "user_id")),
	computed(stringField(func(c *Contact) *Opt[string] { return &c.CreatedAt }, "CreatedAt", "created_at")),
	computed(stringField(func(c *Contact) *Opt[string] { return &c.UpdatedAt }, "UpdatedAt", "updated_at")),
	computed(sortable("lastchange", stringField(func(c *Contact) *Opt[string] { return &c.LastChange }, "lastchange"))),
	computed(intField(func(c *Contact) *Opt[int64] { return &c.LastChangeUserID }, "lastchangeuserid")),

	personal(sortable("firstname", stringField(func(c *Contact) *Opt[string] { return &c.Firstname }, "firstname"))),
	personal(sortable("surname", stringField(func(c *Contact) *Opt[string] { return &c.Surname }, "surname"))),
	personal(sortable("married_name", stringField(func(c *Contact) *Opt[string] { return &c.MarriedName }, "married_name"))),
	sortable("gender", stringField(func(c *Contact) *Opt[string] { return &c.Gender }, "gender")),
	personal(sortable("birthdate", stringField(func(c *Contact) *Opt[string] { return &c.Birthdate }, "birthdate"))),
	intField(func(c *Contact) *Opt[int64] { return &c.AgeCategory }, "age_category"),
	personal(stringField(func(c *Contact) *Opt[string] { return &c.BirthCity }, "birth_city", "birthcity")),
	personal(stringField(func(c *Contact) *Opt[string] { return &c.BirthDept }, "birth_dept", "birthdept")),
	personal(stringField(func(c *Contact) *Opt[string] { return &c.BirthCountry }, "birth_country", "birthcountry")),
	personal(stringField(func(c *Contact) *Opt[string] { return &c.Nationality }, "nationality")),
	personal(sortable("mail", stringField(func(c *Contact) *Opt[string] { return &c.Mail }, "mail"))),
	personal(stringField(func(c *Contact) *Opt[string] { return &c.Phone }, "phone")),
	personal(stringField(func(c *Contact) *Opt[string] { return &c.Mobile }, "mobile")),
	boolField(func(c *Contact) *Opt[bool] { return &c.PhoneInvalid }, "phone_invalid"),
	boolField(func(c *Contact) *Opt[bool] { return &c.MobileInvalid }, "mobile_invalid"),
	boolField(func(c *Contact) *Opt[bool] { return &c.BlackList }, "black_list"),
	intField(func(c *Contact) *Opt[int64] { return &c.UserContactID }, "user_contact_id"),
	intField(func(c *Contact) *Opt[int64] { return &c.NationBuilderID }, "nationbuilderid"),

	{keys: []string{"address"}, at: func(c *Contact) *Opt[Address] { return &c.Address }, decode: func(c *Contact, raw []byte) (err error) {
		c.Address, err = decodeOpt(raw, unmarshalInto[Address])
		return err
	}},
	listField(func(c *Contact) *Opt[[]Tag] { return &c.Tags }, unmarshalInto[Tag], "tags"),
	listField(func(c *Contact) *Opt[[]Note] { return &c.Notes }, unmarshalInto[Note], "notes"),
	listField(func(c *Contact) *Opt[[]FormData] { return &c.Formdatas }, unmarshalInto[FormData], "formdatas"),
	listField(func(c *Contact) *Opt[[]FormData] { return &c.CustomFields }, unmarshalInto[FormData], "custom_fields", "customfields"),
	listField(func(c *Contact) *Opt[[]int64] { return &c.ActionIDs }, decodeIntElem, "action_ids", "actions_ids"),
}

var contactCodec = newObjectCodec("contact", contactFields, func(c Contact) any { type wire Contact; return wire(c) })

// UnmarshalJSON reads a contact in any spelling Qomon has used (see contactFields). A value of
// a type that cannot be read as its field is an error naming the key (never the value: it may
// be personal data). Unmodelled keys land in Unknown.
func (c *Contact) UnmarshalJSON(b []byte) error { return contactCodec.unmarshal(b, c) }

// MarshalJSON writes the contact with the current spellings (birth_city, custom_fields,
// action_ids), absent fields left out, null fields as null, then the Unknown keys.
func (c Contact) MarshalJSON() ([]byte, error) { return contactCodec.marshal(c) }
