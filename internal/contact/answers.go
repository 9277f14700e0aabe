package contact

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/qomon/terraform-provider-qomon/internal/contact/reconcile"
	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// resolveAnswers judges the form answers of a configuration (and of the plan Terraform
// proposes for it) against the space's forms (reconcile.ResolveAnswers): choice answers are
// written as Qomon stores them, and answers Qomon would refuse or store differently on every
// apply are errors on their attribute. The forms are listed only when the configuration holds
// answers, once per provider process (providerdata.Data.Forms: one request per family, six in
// all). When they cannot be listed, the answers go unchecked, with a warning.
func (r *contactResource) resolveAnswers(ctx context.Context, config, proposed reconcile.Object, diags *diag.Diagnostics) (reconcile.Object, reconcile.Object) {
	if !reconcile.HasAnswers(config) || r.Data == nil || r.Data.Client == nil {
		return config, proposed
	}
	cat, err := r.catalogue(ctx)
	if err != nil {
		diags.AddWarning("Form answers not checked",
			fmt.Sprintf("The provider could not list this Qomon space's forms (%s), so the answers in formdatas and custom_fields "+
				"were not checked against them: an answer Qomon refuses fails at apply time, and an option written by its label "+
				"shows as a difference after the apply (Qomon stores the option's value).", err))
		return config, proposed
	}
	config, problems := reconcile.ResolveAnswers(config, cat)
	proposed, _ = reconcile.ResolveAnswers(proposed, cat)
	for _, p := range problems {
		diags.AddAttributeError(path.Root(p.Field), p.Summary, p.Detail)
	}
	return config, proposed
}

// catalogue is every form of the space, by id.
func (r *contactResource) catalogue(ctx context.Context) (reconcile.Catalogue, error) {
	byFamily := make(map[string][]qomon.Form, len(qomon.FormTypes))
	for _, t := range qomon.FormTypes {
		forms, err := r.Data.Forms().Forms(ctx, t)
		if err != nil {
			return nil, fmt.Errorf("listing the forms of type %q: %w", t, err)
		}
		byFamily[t] = forms
	}
	return reconcile.NewCatalogue(byFamily), nil
}
