package form

import (
	"maps"
	"slices"
	"testing"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

func TestOptions(t *testing.T) {
	tests := []struct {
		name          string
		refs          []qomon.RefValue
		want          map[string]int64
		wantAmbiguous []string
	}{
		{
			name: "label and value both lead to the option",
			refs: []qomon.RefValue{{ID: 1, Label: "Architect", Value: "architect"}, {ID: 2, Label: "Baker", Value: "baker"}},
			want: map[string]int64{"Architect": 1, "architect": 1, "Baker": 2, "baker": 2},
		},
		{
			name: "label equal to value",
			refs: []qomon.RefValue{{ID: 1, Label: "Yes", Value: "Yes"}},
			want: map[string]int64{"Yes": 1},
		},
		{
			name: "empty keys are left out",
			refs: []qomon.RefValue{{ID: 7, Label: "", Value: ""}},
			want: map[string]int64{},
		},
		{
			name:          "a label that is another option's value is ambiguous",
			refs:          []qomon.RefValue{{ID: 1, Label: "yes", Value: "no"}, {ID: 2, Label: "no", Value: "nope"}},
			want:          map[string]int64{"yes": 1, "nope": 2},
			wantAmbiguous: []string{"no"},
		},
		{
			name:          "a shared label is ambiguous, even when seen three times",
			refs:          []qomon.RefValue{{ID: 1, Label: "Other", Value: "o1"}, {ID: 2, Label: "Other", Value: "o2"}, {ID: 3, Label: "Other", Value: "o3"}},
			want:          map[string]int64{"o1": 1, "o2": 2, "o3": 3},
			wantAmbiguous: []string{"Other"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ambiguous := options(tt.refs)
			if !maps.Equal(got, tt.want) {
				t.Errorf("options = %v, want %v", got, tt.want)
			}
			if !slices.Equal(ambiguous, tt.wantAmbiguous) {
				t.Errorf("ambiguous = %v, want %v", ambiguous, tt.wantAmbiguous)
			}
		})
	}
}
