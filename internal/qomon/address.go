package qomon

// Address is a contact's postal address. Numeric-looking parts (housenumber, postalcode,
// floor, citycode) are strings on the client side whatever type Qomon sends, so that leading
// zeros survive.
type Address struct {
	Extra // the keys the fields below do not model

	ID             Opt[int64]  `json:"id,omitzero"` // read-only
	HouseNumber    Opt[string] `json:"housenumber,omitzero"`
	Street         Opt[string] `json:"street,omitzero"`
	Addition       Opt[string] `json:"addition,omitzero"`
	Infos          Opt[string] `json:"infos,omitzero"`
	Building       Opt[string] `json:"building,omitzero"`
	Floor          Opt[string] `json:"floor,omitzero"`
	Door           Opt[string] `json:"door,omitzero"`
	PostalCode     Opt[string] `json:"postalcode,omitzero"`
	City           Opt[string] `json:"city,omitzero"`
	County         Opt[string] `json:"county,omitzero"`
	State          Opt[string] `json:"state,omitzero"`
	Country        Opt[string] `json:"country,omitzero"`
	PollingStation Opt[string] `json:"pollingstation,omitzero"`

	// Computed by Qomon's geocoding; read-only.
	CityCode  Opt[string]  `json:"citycode,omitzero"`
	Latitude  Opt[string]  `json:"latitude,omitzero"`
	Longitude Opt[string]  `json:"longitude,omitzero"`
	Location  Opt[string]  `json:"location,omitzero"`
	Score     Opt[float64] `json:"score,omitzero"`
	Invalid   Opt[bool]    `json:"invalid,omitzero"`
}

// addressFields: the documented address keys; house_number and postal_code are the V1-DRAFT
// spellings. Geocoding output is computed by Qomon and read leniently.
var addressFields = []objectField[Address]{
	computed(intField(func(a *Address) *Opt[int64] { return &a.ID }, "id")),
	personal(stringField(func(a *Address) *Opt[string] { return &a.HouseNumber }, "housenumber", "house_number")),
	personal(stringField(func(a *Address) *Opt[string] { return &a.Street }, "street")),
	personal(stringField(func(a *Address) *Opt[string] { return &a.Addition }, "addition")),
	personal(stringField(func(a *Address) *Opt[string] { return &a.Infos }, "infos")),
	personal(stringField(func(a *Address) *Opt[string] { return &a.Building }, "building")),
	personal(stringField(func(a *Address) *Opt[string] { return &a.Floor }, "floor")),
	personal(stringField(func(a *Address) *Opt[string] { return &a.Door }, "door")),
	personal(stringField(func(a *Address) *Opt[string] { return &a.PostalCode }, "postalcode", "postal_code")),
	personal(sortable("city", stringField(func(a *Address) *Opt[string] { return &a.City }, "city"))),
	personal(stringField(func(a *Address) *Opt[string] { return &a.County }, "county")),
	personal(stringField(func(a *Address) *Opt[string] { return &a.State }, "state")),
	personal(stringField(func(a *Address) *Opt[string] { return &a.Country }, "country")),
	personal(stringField(func(a *Address) *Opt[string] { return &a.PollingStation }, "pollingstation")),

	personal(computed(stringField(func(a *Address) *Opt[string] { return &a.CityCode }, "citycode"))),
	personal(computed(stringField(func(a *Address) *Opt[string] { return &a.Latitude }, "latitude"))),
	personal(computed(stringField(func(a *Address) *Opt[string] { return &a.Longitude }, "longitude"))),
	personal(computed(stringField(func(a *Address) *Opt[string] { return &a.Location }, "location"))),
	computed(floatField(func(a *Address) *Opt[float64] { return &a.Score }, "score")),
	computed(boolField(func(a *Address) *Opt[bool] { return &a.Invalid }, "invalid")),
}

var addressCodec = newObjectCodec("address", addressFields, func(a Address) any { type wire Address; return wire(a) })

// UnmarshalJSON reads an address whatever the types of its numeric-looking parts: 75001 and
// "75001" both give "75001", and "01000" keeps its leading zero.
func (a *Address) UnmarshalJSON(b []byte) error { return addressCodec.unmarshal(b, a) }

// MarshalJSON writes the address (numeric parts as strings), then the Unknown keys.
func (a Address) MarshalJSON() ([]byte, error) { return addressCodec.marshal(a) }
