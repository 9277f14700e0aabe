// Package providerdata holds what the provider hands to its resources and data sources once it is
// configured. It sits between the provider and the entity packages so that neither has to import
// the other.
package providerdata

import (
	"sync"
	"time"

	"github.com/qomon/terraform-provider-qomon/internal/contact/sweep"
	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// UpdateMode says how an update reaches Qomon.
type UpdateMode string

const (
	// UpdateModeReplace is for Qomon's documented PATCH, which replaces the whole contact: the
	// provider reads the contact fresh, overlays the planned changes and sends the whole object.
	UpdateModeReplace UpdateMode = "replace"
	// UpdateModeMerge is for a PATCH that merges: only the changed fields are sent.
	UpdateModeMerge UpdateMode = "merge"
)

// Data is the configured provider, as resources and data sources receive it in Configure.
type Data struct {
	Client     *qomon.Client
	UpdateMode UpdateMode
	// SpaceSize is the number of contacts in the Qomon space, as counted when the provider was
	// configured (qomon.Client.Probe).
	SpaceSize int64
	// LostCreateSearchDelay is the step between the searches that look for a contact whose
	// create answer was lost (the k-th search waits k steps); zero means the default, 2 s.
	LostCreateSearchDelay time.Duration
	// Refresh is the process's bulk refresh of contacts (the provider's refresh_mode); nil
	// reads every contact with its own request.
	Refresh *sweep.Refresher
	// Patch is what this provider process has learnt of the space's PATCH (merge update mode).
	Patch PatchCheck

	formsOnce sync.Once
	forms     *qomon.FormCatalogue
}

// Forms returns the space's forms catalogue, one per provider process: each family is listed
// once, the first time a qomon_form lookup or a contact's form answers need it.
func (d *Data) Forms() *qomon.FormCatalogue {
	d.formsOnce.Do(func() { d.forms = qomon.NewFormCatalogue(d.Client) })
	return d.forms
}
