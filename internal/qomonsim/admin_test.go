package qomonsim

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"
)

func adminServer(t *testing.T, opts Options) (*Server, string) {
	t.Helper()
	s := New(opts)
	mux := http.NewServeMux()
	mux.Handle(AdminPrefix, s.AdminHandler())
	mux.Handle("/", s)
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return s, ts.URL
}

func admin(t *testing.T, method, url, body string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

func TestAdminEndpoints(t *testing.T) {
	s, url := adminServer(t, Options{})
	status, b := admin(t, "POST", url+"/_sim/contacts", `{"surname":"Seeded","mail":"s@example.org"}`)
	if status != 201 {
		t.Fatalf("seed: %d %s", status, b)
	}
	var seeded struct{ ID int64 }
	_ = json.Unmarshal(b, &seeded)
	if seeded.ID == 0 {
		t.Fatalf("seed answer %s", b)
	}
	if status, _ := admin(t, "POST", url+"/_sim/contacts", `{"mail":"bad"}`); status != 422 {
		t.Errorf("invalid seed: %d", status)
	}

	// An API request, to see in the log.
	req, _ := http.NewRequestWithContext(t.Context(), "GET", url+"/contacts/"+itoa(seeded.ID), nil)
	req.Header.Set("Authorization", "Bearer "+DefaultToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	admin(t, "POST", url+"/contacts", "not json") // 401, body kept as a string

	status, b = admin(t, "GET", url+"/_sim/requests", "")
	var reqs []map[string]any
	if err := json.Unmarshal(b, &reqs); err != nil || status != 200 || len(reqs) != 2 {
		t.Fatalf("requests: %d %v %s", status, err, b)
	}
	if reqs[0]["method"] != "GET" || reqs[0]["status"] != float64(200) || reqs[0]["cost"] != float64(1) {
		t.Errorf("logged request %v", reqs[0])
	}
	if reqs[1]["body"] != "not json" || reqs[1]["status"] != float64(401) {
		t.Errorf("logged 401 %v", reqs[1])
	}
	if strings.Contains(string(b), DefaultToken) {
		t.Error("the admin log shows the token")
	}

	status, b = admin(t, "PUT", url+"/_sim/contacts/"+itoa(seeded.ID), `{"phone":"0102030405","mail":null}`)
	if status != 200 {
		t.Fatalf("edit: %d %s", status, b)
	}
	got, _ := s.Contact(seeded.ID)
	if got["phone"] != "0102030405" || got["mail"] != nil || got["surname"] != "Seeded" {
		t.Errorf("after admin edit: %v", got)
	}
	if status, _ := admin(t, "PUT", url+"/_sim/contacts/"+itoa(seeded.ID), `{"gender":"Q"}`); status != 422 {
		t.Errorf("invalid edit: %d", status)
	}
	if status, _ := admin(t, "PUT", url+"/_sim/contacts/1", `{}`); status != 404 {
		t.Errorf("edit of a missing contact: %d", status)
	}
	if status, b := admin(t, "GET", url+"/_sim/contacts", ""); status != 200 || !strings.Contains(string(b), "0102030405") {
		t.Errorf("contacts: %d %s", status, b)
	}
	if status, _ := admin(t, "GET", url+"/_sim/contacts/"+itoa(seeded.ID), ""); status != 200 {
		t.Errorf("contact: %d", status)
	}

	if status, b := admin(t, "POST", url+"/_sim/faults", `{"kind":"status","status":502,"html":true,"path":"/forms","times":1}`); status != 204 {
		t.Fatalf("fault: %d %s", status, b)
	}
	if status, _ := admin(t, "POST", url+"/_sim/faults", `{"kind":"explode"}`); status != 422 {
		t.Errorf("bad fault kind: %d", status)
	}
	for _, bad := range []string{`{"kind":"delay","delay":"soon"}`, `{"kind":"delay","delay":-1}`, `{"kind":"status","retryAfter":2}`, `{"kind":"status","retry_after":true}`} {
		if status, _ := admin(t, "POST", url+"/_sim/faults", bad); status != 422 {
			t.Errorf("bad fault %s: %d", bad, status)
		}
	}
	if status, _ := admin(t, "GET", url+"/forms/11240", ""); status != 502 {
		t.Errorf("injected fault through admin: %d", status)
	}
	admin(t, "POST", url+"/_sim/faults", `{"kind":"status","status":500}`)
	admin(t, "DELETE", url+"/_sim/faults", "")
	if status, _ := admin(t, "GET", url+"/forms/11240", ""); status != 401 {
		t.Errorf("after clearing faults: %d", status)
	}

	status, b = admin(t, "GET", url+"/_sim/stats", "")
	var st Stats
	if err := json.Unmarshal(b, &st); err != nil || status != 200 || st.Requests != 4 || st.Faults != 1 {
		t.Errorf("stats: %d %s", status, b)
	}

	if status, _ := admin(t, "DELETE", url+"/_sim/contacts/"+itoa(seeded.ID), ""); status != 204 {
		t.Errorf("delete: %d", status)
	}
	if status, _ := admin(t, "DELETE", url+"/_sim/contacts/"+itoa(seeded.ID), ""); status != 404 {
		t.Errorf("second delete: %d", status)
	}
	if status, _ := admin(t, "DELETE", url+"/_sim/requests", ""); status != 204 || len(s.Requests()) != 0 {
		t.Errorf("clear log: %d", status)
	}
	if status, _ := admin(t, "GET", url+"/_sim/nothing", ""); status != 404 {
		t.Errorf("unknown admin route: %d", status)
	}
}

func TestAdminRefusesRemoteClients(t *testing.T) {
	s := New(Options{})
	for remote, want := range map[string]int{
		"192.0.2.10:5555": http.StatusForbidden,
		"[2001:db8::1]:1": http.StatusForbidden,
		"garbage":         http.StatusForbidden,
		"127.0.0.1:5555":  http.StatusOK,
		"[::1]:5555":      http.StatusOK,
	} {
		req := httptest.NewRequestWithContext(t.Context(), "GET", "/_sim/stats", nil)
		req.RemoteAddr = remote
		rec := httptest.NewRecorder()
		s.AdminHandler().ServeHTTP(rec, req)
		if rec.Code != want {
			t.Errorf("%s: %d, want %d", remote, rec.Code, want)
		}
	}
}

// TestAdminSettings: PUT /_sim/settings takes every key of SettingKeys in snake_case, changes
// only the keys it is given (rate_limit members included), refuses an unknown key or a bad
// value with a 422 that names it and changes nothing then, and GET shows what is in force.
func TestAdminSettings(t *testing.T) {
	s, url := adminServer(t, Options{})
	put := func(body string) (int, string) {
		status, b := admin(t, "PUT", url+"/_sim/settings", body)
		return status, string(b)
	}
	current := func() map[string]any {
		status, b := admin(t, "GET", url+"/_sim/settings", "")
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil || status != 200 {
			t.Fatalf("GET settings: %d %s", status, b)
		}
		return m
	}
	defaults := current()
	want := `{"empty_address":"clear","empty_lists":"accept","not_found_body":"problem","note_ids":"keep","patch_mode":"replace",` +
		`"rate_limit":{"burst":100,"enabled":true,"headers":"qomon","per_second":10},"search_lag":0,"search_omits":[],"search_page_time":0,"spelling":"new"}`
	if b, _ := json.Marshal(defaults); string(b) != want {
		t.Errorf("defaults\n got %s\nwant %s", b, want)
	}

	if status, b := put(`{"rate_limit":{"per_second":2}}`); status != 204 {
		t.Fatalf("rate_limit.per_second: %d %s", status, b)
	}
	if got := s.limiter.cfg; got.PerSecond != 2 || got.Burst != 100 || got.Disabled {
		t.Errorf("per_second alone changed %+v", got)
	}
	if status, b := put(`{"patch_mode":"merge","spelling":"old","search_lag":1.5,"note_ids":"renew","empty_lists":"refuse",` +
		`"empty_address":"keep","search_omits":["notes","customfields"],"not_found_body":"jsend",` +
		`"rate_limit":{"burst":7,"enabled":false,"headers":"ietf"}}`); status != 204 {
		t.Fatalf("every setting: %d %s", status, b)
	}
	s.mu.Lock()
	o := s.opts
	s.mu.Unlock()
	if o.PatchMode != PatchMerge || o.Spelling != SpellingOld || o.SearchLag != 1500*time.Millisecond || o.NoteIDs != NoteIDsRenew ||
		o.EmptyLists != EmptyListsRefuse || o.EmptyAddress != EmptyAddressKeep || o.NotFoundBody != NotFoundJSend ||
		strings.Join(o.SearchOmits, ",") != "notes,custom_fields" ||
		o.RateLimit != (RateLimit{Burst: 7, PerSecond: 2, Disabled: true, Headers: RateLimitHeadersIETF}) {
		t.Errorf("settings not applied: %+v", o)
	}
	if status, b := put(`{"search_lag":"250ms","search_omits":[]}`); status != 204 {
		t.Errorf("duration string: %d %s", status, b)
	}
	if m := current(); m["search_lag"] != 0.25 || len(m["search_omits"].([]any)) != 0 {
		t.Errorf("after search_lag 250ms: %v", m)
	}

	before := current()
	for _, tt := range []struct{ body, want string }{
		{`{"rate_limit":{"PerSecond":2}}`, `unknown setting \"rate_limit.PerSecond\"`},
		{`{"patchMode":"merge"}`, `unknown setting \"patchMode\"`},
		{`{"upsert_delay":"2s"}`, `unknown setting \"upsert_delay\"`},
		{`{"patch_mode":"sideways"}`, `patch_mode: expected \"replace\" or \"merge\"`},
		{`{"spelling":"runic"}`, "spelling:"},
		{`{"search_lag":-1}`, "search_lag:"},
		{`{"search_lag":"soon"}`, "search_lag:"},
		{`{"search_omits":["shoe_size"]}`, "search_omits:"},
		{`{"search_omits":[1]}`, "search_omits: expected an array of strings"},
		{`{"rate_limit":{"burst":0}}`, "rate_limit.burst:"},
		{`{"rate_limit":{"enabled":"maybe"}}`, "rate_limit.enabled:"},
		{`{"rate_limit":{"headers":"x-rate"}}`, "rate_limit.headers:"},
		{`{"not_found_body":null}`, "not_found_body:"},
		{`{"patch_mode":"merge","nope":1}`, `unknown setting \"nope\"`},
		{`[]`, "JSON object"},
	} {
		status, body := put(tt.body)
		if status != 422 || !strings.Contains(body, tt.want) {
			t.Errorf("%s: %d %s, want 422 with %s", tt.body, status, body, tt.want)
		}
	}
	if after := current(); !reflect.DeepEqual(before, after) {
		t.Errorf("a refused PUT changed settings:\n%v\n%v", before, after)
	}
}

// TestAdminFaultDurationsInSeconds: retry_after and delay take seconds, as Qomon's
// Retry-After header gives them, or a Go duration.
func TestAdminFaultDurationsInSeconds(t *testing.T) {
	_, url := adminServer(t, Options{})
	for body, want := range map[string]string{
		`{"kind":"status","status":429,"retry_after":2,"times":1}`:        "2",
		`{"kind":"status","status":429,"retry_after":"3","times":1}`:      "3",
		`{"kind":"status","status":429,"retry_after":0.5,"times":1}`:      "1",
		`{"kind":"status","status":429,"retry_after":"1500ms","times":1}`: "2",
	} {
		if status, b := admin(t, "POST", url+"/_sim/faults", body); status != 204 {
			t.Fatalf("%s: %d %s", body, status, b)
		}
		req, _ := http.NewRequestWithContext(t.Context(), "GET", url+"/v1/forms/type/consent", nil)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 429 || res.Header.Get("Retry-After") != want {
			t.Errorf("%s: %d Retry-After %q, want %s", body, res.StatusCode, res.Header.Get("Retry-After"), want)
		}
	}
	if status, b := admin(t, "POST", url+"/_sim/faults", `{"kind":"delay","delay":0.2,"times":1}`); status != 204 {
		t.Fatalf("delay in seconds: %d %s", status, b)
	}
	start := time.Now()
	req, _ := http.NewRequestWithContext(t.Context(), "GET", url+"/v1/forms/type/consent", nil)
	if res, err := http.DefaultClient.Do(req); err == nil {
		res.Body.Close()
	}
	if d := time.Since(start); d < 200*time.Millisecond {
		t.Errorf("a 0.2 s delay took %s", d)
	}
}
