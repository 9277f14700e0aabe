package qomonsim

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// handleFormsByType is GET /v1/forms/type/{type}, the canonical list route.
func (s *Server) handleFormsByType(w http.ResponseWriter, r *http.Request, _ []byte, category string) {
	if !slices.Contains(Categories, category) {
		writeValidation(w, r, []fieldError{{
			Location: "path.type",
			Message:  "expected value to be one of \"" + strings.Join(Categories, ", ") + "\"",
			Value:    category,
		}})
		return
	}
	forms := s.forms.byCategory(category)
	out := make([]any, 0, len(forms))
	for _, f := range forms {
		out = append(out, renderForm(f, s.groupID))
	}
	writeSuccess(w, map[string]any{"forms": out})
}

// handleForm is GET /forms/{formId}.
func (s *Server) handleForm(w http.ResponseWriter, r *http.Request, _ []byte, param string) {
	id, err := strconv.ParseInt(param, 10, 64)
	if err != nil || id < 0 {
		writeValidation(w, r, []fieldError{{Location: "path.formId", Message: "expected integer", Value: param}})
		return
	}
	f, ok := s.forms.form(id)
	if !ok {
		writeProblem(w, r, http.StatusNotFound, fmt.Sprintf("form %d not found", id))
		return
	}
	writeSuccess(w, map[string]any{"form": renderForm(f, s.groupID)})
}
