package contact

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/qomon/terraform-provider-qomon/internal/contact/reconcile"
	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// When is a contact gone? A 404 proves it only when Qomon itself wrote it (qomon.IsNotFound: a
// problem object or JSend), and even then the provider asks a second time before it forgets a
// contact or creates it again: by the e-mail address the state holds (an exact search, as written
// and in lower case, 1 token) or, without one, by a second GET (1 token). The whole rule, for
// users, is in the guide "How updates work" (When a contact is deleted in Qomon).

// goneVerdict is what the provider concluded from a 404 about a contact.
type goneVerdict int

const (
	// notConfirmed: the answer cannot be attributed to Qomon, or the second look found the
	// contact, or failed. The caller keeps state as it is and reports diags.
	notConfirmed goneVerdict = iota
	// gone: Qomon said so twice. The contact may leave the state.
	gone
	// goneButMailInUse: the contact is gone, but others hold its e-mail address: creating it
	// again would make a twin of one of them.
	goneButMailInUse
)

// goneCheck is the verdict, the ids of the contacts that hold the address (goneButMailInUse),
// and what to tell the user.
type goneCheck struct {
	verdict goneVerdict
	others  []int64
	// how says how the deletion was confirmed, for the user.
	how   string
	diags diag.Diagnostics
}

// contactReader is what confirming a deletion needs from the client.
type contactReader interface {
	GetContact(ctx context.Context, id int64) (*qomon.Contact, error)
	SearchContacts(ctx context.Context, req qomon.SearchRequest) (*qomon.SearchResult, error)
}

// is404 reports any 404 (or 410), Qomon's or not: the answers the rule below judges.
func is404(err error) bool { return qomon.IsNotFound(err) || qomon.IsForeignNotFound(err) }

// confirmGone applies the rule to err, a 404 answered to a request (summary names it) about
// contact id, whose state holds mail ("" when it holds none).
func confirmGone(ctx context.Context, client contactReader, id int64, mail, summary string, err error) goneCheck {
	var c goneCheck
	if !qomon.IsNotFound(err) {
		c.diags.AddError(summary, fmt.Sprintf("%s\n\nThis answer does not come from Qomon, so the provider does not take it as "+
			"proof that contact %d was deleted: it keeps the contact in the state and changes nothing.", err, id))
		return c
	}
	if mail == "" {
		_, again := client.GetContact(ctx, id)
		switch {
		case again == nil:
			c.diags.AddError(summary, fmt.Sprintf("Qomon answered that contact %d does not exist, then found it when asked again. "+
				"The provider keeps the contact in the state and changes nothing: run the command again.", id))
		case qomon.IsNotFound(again):
			c.verdict, c.how = gone, "a second read gave the same answer"
		default:
			c.diags.AddError(summary, fmt.Sprintf("Qomon answered that contact %d does not exist, and reading it again to confirm "+
				"failed: %s\n\nThe provider keeps the contact in the state and changes nothing.", id, again))
		}
		return c
	}
	found, serr := client.SearchContacts(ctx, qomon.MailSearch(mail, mailLookupLimit))
	if serr != nil {
		c.diags.AddError(summary, fmt.Sprintf("Qomon answered that contact %d does not exist, and searching for its e-mail "+
			"address to confirm failed: %s\n\nThe provider keeps the contact in the state and changes nothing.", id, serr))
		return c
	}
	for _, f := range found.Contacts {
		fid, _ := f.ID.Get()
		if got, ok := f.Mail.Get(); !ok || !reconcile.Mail.Same(got, mail) {
			continue
		}
		if fid == id {
			c.diags.AddError(summary, fmt.Sprintf("Qomon answered that contact %d does not exist, but a search by its e-mail "+
				"address finds it. Qomon's search index may still hold a contact deleted seconds ago. The provider keeps "+
				"the contact in the state and changes nothing: run the command again in a minute.", id))
			return c
		}
		c.others = append(c.others, fid)
	}
	if len(c.others) > 0 {
		c.verdict = goneButMailInUse
		return c
	}
	c.verdict, c.how = gone, "a search by its e-mail address finds no contact"
	return c
}

// mailInUseDetail explains goneButMailInUse: what was found, and the two ways forward.
func mailInUseDetail(id int64, others []int64) string {
	ids := make([]string, len(others))
	for i, o := range others {
		ids[i] = strconv.FormatInt(o, 10)
	}
	return fmt.Sprintf("Contact %d no longer exists in Qomon, but contact(s) %s hold its e-mail address: someone may have "+
		"merged or re-created it. Creating it again would make a twin, so the provider keeps it in the state and changes "+
		"nothing. To manage the contact that holds the address, run `terraform state rm <address>` and then "+
		"`terraform import <address> %s`. To create a new contact anyway, run `terraform state rm <address>` only.",
		id, strings.Join(ids, ", "), ids[0])
}

// stateMail is the e-mail address a state or plan holds, "" when none.
func stateMail(state reconcile.Object) string {
	mail, _ := state["mail"].(string)
	return mail
}

// goneOnRead is a refresh's (or an import's) answer to a 404 on contact id: whether to remove
// the contact from the state, and what to tell. Removal comes with a warning; anything
// unconfirmed is an error and the state stays.
func goneOnRead(ctx context.Context, client contactReader, id int64, mail string, importing bool, err error) (remove bool, diags diag.Diagnostics) {
	c := confirmGone(ctx, client, id, mail, "Cannot read the contact", err)
	switch c.verdict {
	case gone:
		if importing {
			diags.AddWarning("Contact not found in Qomon",
				fmt.Sprintf("Qomon answers that contact %d does not exist, and %s: there is nothing to import.", id, c.how))
		} else {
			diags.AddWarning("Contact no longer exists",
				fmt.Sprintf("Qomon answers that contact %d does not exist, and %s: it was deleted outside Terraform. It is "+
					"removed from the state, and the current plan creates it again. If the deletion was intended, remove "+
					"it from the configuration instead of applying.", id, c.how))
		}
		return true, diags
	case goneButMailInUse:
		diags.AddError("Contact deleted in Qomon, its e-mail address in use", mailInUseDetail(id, c.others))
	}
	diags.Append(c.diags...)
	return false, diags
}

// goneOnUpdate is an update's answer to a 404 on contact id (its fresh read or its PATCH):
// always an error, which says the contact was deleted only when that is confirmed.
func goneOnUpdate(ctx context.Context, client contactReader, id int64, mail string, err error) (diags diag.Diagnostics) {
	c := confirmGone(ctx, client, id, mail, "Cannot update the contact", err)
	switch c.verdict {
	case gone:
		diags.AddError("Contact deleted in Qomon",
			fmt.Sprintf("Contact %d was deleted in Qomon after the plan was made (%s). Nothing was written. Run plan "+
				"again: it will propose to create the contact.", id, c.how))
	case goneButMailInUse:
		diags.AddError("Contact deleted in Qomon, its e-mail address in use", mailInUseDetail(id, c.others))
	}
	diags.Append(c.diags...)
	return diags
}

// goneOnDelete is a delete's answer to a 404 on contact id: done when Qomon confirms the
// contact is gone (whoever holds its address now), an error otherwise.
func goneOnDelete(ctx context.Context, client contactReader, id int64, mail string, err error) (diags diag.Diagnostics) {
	c := confirmGone(ctx, client, id, mail, "Cannot delete the contact", err)
	return c.diags
}

// importingKey marks, in private state, a contact whose import has not been read yet, so that
// a 404 on that first read says there is nothing to import rather than that the plan creates it.
const importingKey = "importing"

func markImporting(ctx context.Context, p privateSetter) diag.Diagnostics {
	return p.SetKey(ctx, importingKey, []byte("true"))
}

// importing reports the mark, and clears it from the state that the read returns.
func importing(ctx context.Context, from privateGetter, to privateSetter) (bool, diag.Diagnostics) {
	v, diags := from.GetKey(ctx, importingKey)
	if len(v) == 0 || diags.HasError() {
		return false, diags
	}
	return true, to.SetKey(ctx, importingKey, nil)
}

// noContactToImport is the error of an import by mail that finds nobody. It does not repeat
// the address: Terraform logs every diagnostic, and the CLI shows the import ID just above.
func noContactToImport() (diags diag.Diagnostics) {
	diags.AddError("No contact with this e-mail address",
		"An exact search of this Qomon space for the e-mail address after mail: in the import ID (as written, and in "+
			"lower case) found no contact, so nothing was imported into this qomon_contact. Check the address for a typo; "+
			"a contact that does not exist yet is created by applying the configuration without the import.")
	return diags
}
