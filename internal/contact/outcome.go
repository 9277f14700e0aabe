package contact

import (
	"errors"
	"strconv"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// lostAnswer is what went wrong with a create whose outcome is unknown, without the client's
// advice to search for the contact and import it: the warnings that report how the provider
// dealt with it (sent again, adopted) must not tell the user to do what was already done.
func lostAnswer(err error) error {
	var unknown *qomon.OutcomeUnknownError
	if errors.As(err, &unknown) && unknown.Err != nil {
		return unknown.Err
	}
	return err
}

// conflictDetail explains an update stopped because fields about to change no longer hold the
// value the plan was made from. It does not say when they changed: a plan made with
// -refresh=false starts from the state, which may be older than the edit.
func conflictDetail(fields string, id int64) string {
	return "Contact " + strconv.FormatInt(id, 10) + " in Qomon no longer holds, for " + fields + ", the value this plan was made from: " +
		"someone changed it in Qomon, or the plan was made without reading Qomon (-refresh=false), from an older state. " +
		"Applying would overwrite it, so nothing was written. Run plan again, with refresh, to see the current values, then apply."
}
