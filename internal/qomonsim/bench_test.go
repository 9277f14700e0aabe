package qomonsim

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
)

// The simulator must not be what a benchmark of the provider measures: these keep an eye on
// its own cost per request (in process, no network).

func benchServer(b *testing.B, n int) (*Server, []int64) {
	b.Helper()
	s := New(Options{RateLimit: RateLimit{Disabled: true}})
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = s.SeedContact(map[string]any{
			"surname": fmt.Sprintf("S%05d", i), "mail": fmt.Sprintf("p%d@example.org", i),
			"address": map[string]any{"city": "Paris", "postalcode": "75001", "street": "Rue A"},
			"tags":    []any{"t"}, "custom_fields": []any{map[string]any{"form_id": 11393, "form_ref_id": 17901, "data": "x"}},
		})
	}
	return s, ids
}

func serve(b *testing.B, s *Server, method, path, body string) {
	req := httptest.NewRequestWithContext(b.Context(), method, path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+DefaultToken)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code >= 300 {
		b.Fatalf("%s %s: %d %s", method, path, rec.Code, rec.Body)
	}
}

func BenchmarkCreate(b *testing.B) {
	s, _ := benchServer(b, 2000)
	body := `{"data":{"contact":{"surname":"Lovelace","mail":"ada@example.org","address":{"city":"Paris","postalcode":"75001"},"tags":[{"name":"t"}]}}}`
	for b.Loop() {
		serve(b, s, "POST", "/contacts", body)
	}
}

func BenchmarkGet(b *testing.B) {
	s, ids := benchServer(b, 2000)
	i := 0
	for b.Loop() {
		serve(b, s, "GET", fmt.Sprintf("/contacts/%d", ids[i%len(ids)]), "")
		i++
	}
}

func BenchmarkPatch(b *testing.B) {
	s, ids := benchServer(b, 2000)
	i := 0
	for b.Loop() {
		serve(b, s, "PATCH", fmt.Sprintf("/contacts/%d", ids[i%len(ids)]), `{"data":{"contact":{"surname":"X","tags":["t"]}}}`)
		i++
	}
}

func BenchmarkSearchExactMail(b *testing.B) {
	s, _ := benchServer(b, 2000)
	body := `{"data":{"advanced_search":{"per_page":1000,"query":{"$all":[{"$all":[{"$condition":{"attr":"mail","ope":"eql:strictdata","value":"p1500@example.org"}}]}]}}}}`
	for b.Loop() {
		serve(b, s, "POST", "/search", body)
	}
}

func BenchmarkSearchPage1000(b *testing.B) {
	s, _ := benchServer(b, 2000)
	body := `{"data":{"advanced_search":{"per_page":1000,"page":1,"query":{"$all":[]}}}}`
	for b.Loop() {
		serve(b, s, "POST", "/search", body)
	}
}
