package form

import "github.com/qomon/terraform-provider-qomon/internal/qomon"

// Types are the form families a qomon_form lookup takes (qomon.FormTypes). Answers to
// custom_fields forms travel in a contact's custom_fields; answers to the others in its
// formdatas.
var Types = qomon.FormTypes
