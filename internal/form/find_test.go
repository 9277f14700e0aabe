package form

import (
	"errors"
	"strings"
	"testing"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

var catalogue = []qomon.Form{
	{ID: 11, Label: "Job", Type: "radio"},
	{ID: 12, Label: "Hobbies", Type: "checkbox"},
	{ID: 13, Label: "Remarks", Type: "text"},
	{ID: 14, Label: "Twin", Type: "radio"},
	{ID: 15, Label: "Twin", Type: "checkbox"},
}

func TestFindByLabel(t *testing.T) {
	tests := []struct {
		name        string
		label       string
		wantID      int64
		wantSummary string
		wantInError []string
	}{
		{name: "exact", label: "Hobbies", wantID: 12},
		{
			name: "case differs", label: "job", wantSummary: "Qomon form not found",
			wantInError: []string{`labelled "job"`, `Did you mean "Job" (id 11)`, `"Remarks" (id 13, text)`},
		},
		{
			name: "surrounding space is not ignored", label: "Job ", wantSummary: "Qomon form not found",
			wantInError: []string{`Did you mean "Job" (id 11)`},
		},
		{
			name: "unknown", label: "Pets", wantSummary: "Qomon form not found",
			wantInError: []string{`No form of type "custom_fields" is labelled "Pets"`, `"Hobbies" (id 12, checkbox)`, `"Job" (id 11, radio)`},
		},
		{
			name: "several", label: "Twin", wantSummary: "Several Qomon forms match",
			wantInError: []string{`2 forms`, `(id 14, radio)`, `(id 15, checkbox)`, `Set id instead`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := findByLabel(catalogue, "custom_fields", tt.label)
			checkLookup(t, got, err, tt.wantID, tt.wantSummary, tt.wantInError)
		})
	}
}

func TestFindByID(t *testing.T) {
	got, err := findByID(catalogue, "survey", 13)
	checkLookup(t, got, err, 13, "", nil)

	got, err = findByID(catalogue, "survey", 99)
	checkLookup(t, got, err, 0, "Qomon form not found",
		[]string{`No form of type "survey" has id 99`, `"Job" (id 11, radio)`})
}

func TestFindInEmptyType(t *testing.T) {
	_, err := findByLabel(nil, "tasks", "Call back")
	checkLookup(t, qomon.Form{}, err, 0, "Qomon form not found", []string{`has no form of type "tasks"`})
}

func TestListIsBounded(t *testing.T) {
	var many []qomon.Form
	for i := range maxListed + 5 {
		many = append(many, qomon.Form{ID: int64(i + 1), Label: "Q", Type: "text"})
	}
	got := list(many)
	if n := strings.Count(got, "(id "); n != maxListed {
		t.Errorf("listed %d forms, want %d", n, maxListed)
	}
	if !strings.HasSuffix(got, "and 5 more") {
		t.Errorf("list does not say how many were left out: %s", got)
	}
}

func checkLookup(t *testing.T, got qomon.Form, err error, wantID int64, wantSummary string, wantInError []string) {
	t.Helper()
	if wantSummary == "" {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		if got.ID != wantID {
			t.Fatalf("found form %d, want %d", got.ID, wantID)
		}
		return
	}
	var le *lookupError
	if !errors.As(err, &le) {
		t.Fatalf("got %v (form %d), want a lookup error", err, got.ID)
	}
	if le.Summary != wantSummary {
		t.Errorf("summary %q, want %q", le.Summary, wantSummary)
	}
	for _, s := range wantInError {
		if !strings.Contains(le.Detail, s) {
			t.Errorf("detail does not contain %q:\n%s", s, le.Detail)
		}
	}
}
