package qomonsim

import (
	"fmt"
	"testing"
	"time"
)

func TestRequestLog(t *testing.T) {
	clock := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	c := newTC(t, Options{Now: func() time.Time { return clock }})
	body := `{"data":{"contact":{"surname":"A"}}}`
	id := idOf(t, c.do("POST", "/contacts", body).want(t, 200).contact(t))
	c.do("GET", fmt.Sprintf("/contacts/%d?x=1", id), nil).want(t, 200)
	c.do("PATCH", fmt.Sprintf("/contacts/%d", id), `{"data":{"contact":{"mail":"bad"}}}`).want(t, 422)
	c.token = "wrong"
	c.do("DELETE", fmt.Sprintf("/contacts/%d", id), nil).want(t, 401)

	reqs := c.s.Requests()
	if len(reqs) != 4 {
		t.Fatalf("%d requests logged", len(reqs))
	}
	want := []struct {
		method, path string
		status, cost int
	}{
		{"POST", "/contacts", 200, 5},
		{"GET", fmt.Sprintf("/contacts/%d", id), 200, 1},
		{"PATCH", fmt.Sprintf("/contacts/%d", id), 422, 5},
		{"DELETE", fmt.Sprintf("/contacts/%d", id), 401, 0},
	}
	for i, w := range want {
		r := reqs[i]
		if r.Method != w.method || r.Path != w.path || r.Status != w.status || r.Cost != w.cost || !r.Time.Equal(clock) {
			t.Errorf("request %d: %+v, want %+v", i, r, w)
		}
	}
	if string(reqs[0].Body) != body {
		t.Errorf("body %q", reqs[0].Body)
	}
	if reqs[1].Query != "x=1" || reqs[1].Header.Get("Authorization") != "Bearer REDACTED" {
		t.Errorf("query %q auth %q", reqs[1].Query, reqs[1].Header.Get("Authorization"))
	}
	reqs[0].Body[0] = 'X'
	if c.s.Requests()[0].Body[0] != '{' {
		t.Error("Requests returned the logged body itself")
	}
	st := c.s.Stats()
	if st.Requests != 4 || st.ByStatus[200] != 2 || st.ByStatus[422] != 1 || st.ByStatus[401] != 1 || st.TokensSpent != 11 {
		t.Errorf("stats %+v", st)
	}
	c.s.ResetRequests()
	if len(c.s.Requests()) != 0 || c.s.Stats().Requests != 0 {
		t.Error("ResetRequests left something")
	}
}
