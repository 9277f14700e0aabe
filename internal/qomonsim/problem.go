package qomonsim

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// fieldError is one entry of a problem's `errors` array.
type fieldError struct {
	Location string `json:"location"`
	Message  string `json:"message"`
	Value    any    `json:"value,omitempty"`
}

// problem is the RFC 7807 error body of Qomon's newer reference (its error model, shown on
// https://developers.qomon.com/api-reference/contacts/upsert-a-contact), which integrators
// also met on a 422 from /search.
type problem struct {
	Type     string       `json:"type"`
	Title    string       `json:"title"`
	Status   int          `json:"status"`
	Detail   string       `json:"detail,omitempty"`
	Instance string       `json:"instance,omitempty"`
	Errors   []fieldError `json:"errors,omitempty"`
}

func writeProblem(w http.ResponseWriter, r *http.Request, status int, detail string, errs ...fieldError) {
	p := problem{
		Type:     "about:blank",
		Title:    http.StatusText(status),
		Status:   status,
		Detail:   detail,
		Instance: r.URL.Path,
		Errors:   errs,
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(p)
}

// writeValidation answers 422 with every field error found.
func writeValidation(w http.ResponseWriter, r *http.Request, errs []fieldError) {
	writeProblem(w, r, http.StatusUnprocessableEntity, "validation failed", errs...)
}

// writeUnauthorized answers 401 in the JSend shape Qomon documents for a missing or bad key.
func writeUnauthorized(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("WWW-Authenticate", `Bearer realm="qomon"`)
	w.WriteHeader(http.StatusUnauthorized)
	_, _ = w.Write([]byte(`{"status":"fail","message":"Need authentication"}` + "\n"))
}

// writeSuccess answers 200 with the success envelope {"status":"success","data":data}.
func writeSuccess(w http.ResponseWriter, data any) {
	writeAPIJSON(w, http.StatusOK, map[string]any{"status": "success", "data": data})
}

// writeAPIJSON answers with v as compact JSON, as the API does (the admin endpoints indent).
func writeAPIJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// htmlErrorPage is what a proxy in front of Qomon answers on a 5xx: not JSON at all.
func htmlErrorPage(status int) string {
	code := strconv.Itoa(status) + " " + http.StatusText(status)
	return "<html>\r\n<head><title>" + code + "</title></head>\r\n<body>\r\n<center><h1>" + code +
		"</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
}
