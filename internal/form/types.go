package form

// Types are the form families Qomon lists under GET /v1/forms/type/{type}
// (https://developers.qomon.com/pages/v1/reference/forms/overview).
// Answers to the first five travel in a contact's formdatas; custom_fields answers in its
// custom_fields.
var Types = []string{
	"consent",
	"level_of_support",
	"presence_status",
	"custom_fields",
	"survey",
	"tasks",
}
