package qomonsim

import (
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// AdminPrefix is where AdminHandler expects to be mounted.
const AdminPrefix = "/_sim/"

// AdminHandler serves the simulator's control endpoints, for tools that cannot call Go
// (the demo script, a user's CI). It needs no token but refuses any client that is not on
// a loopback address. Mount it at AdminPrefix:
//
//	GET    /_sim/requests          the request log (bodies inline when JSON)
//	DELETE /_sim/requests          empty the log and the counters
//	GET    /_sim/contacts          every stored contact
//	POST   /_sim/contacts          seed a contact (as SeedContact); answers {"id": …}
//	GET    /_sim/contacts/{id}     one stored contact
//	PUT    /_sim/contacts/{id}     out-of-band edit: the body's keys replace the contact's
//	                               (null removes one), as a person in the Qomon app
//	DELETE /_sim/contacts/{id}     out-of-band delete
//	POST   /_sim/faults            inject a fault (JSON, see adminFault)
//	DELETE /_sim/faults            remove every fault
//	GET    /_sim/stats             counters
//	GET    /_sim/settings          the switches in force, as PUT takes them
//	PUT    /_sim/settings          change some switches: {"patch_mode": "merge",
//	                               "rate_limit": {"per_second": 2}}; see SettingKeys. An unknown
//	                               key or a bad value is a 422 and changes nothing.
func (s *Server) AdminHandler() http.Handler {
	mux := http.NewServeMux()
	// route serves method (any method when "") on AdminPrefix+name.
	route := func(method, name string, h http.HandlerFunc) {
		mux.HandleFunc(strings.TrimSpace(method+" "+AdminPrefix+name), h)
	}
	route("GET", "requests", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, adminRequests(s.Requests()))
	})
	route("DELETE", "requests", func(w http.ResponseWriter, _ *http.Request) { s.ResetRequests(); noContent(w) })
	route("GET", "contacts", func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusOK, s.Contacts()) })
	route("POST", "contacts", s.adminSeed)
	route("", "contacts/{id}", func(w http.ResponseWriter, r *http.Request) { s.adminContact(w, r, r.PathValue("id")) })
	route("POST", "faults", s.adminInject)
	route("DELETE", "faults", func(w http.ResponseWriter, _ *http.Request) { s.ClearFaults(); noContent(w) })
	route("GET", "stats", func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusOK, s.Stats()) })
	route("GET", "settings", func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusOK, s.Settings()) })
	route("PUT", "settings", s.adminSettings)
	route("", "", func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, r, http.StatusNotFound, "no admin route for "+r.Method+" "+r.URL.Path)
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isLoopbackRemote(r.RemoteAddr) {
			writeProblem(w, r, http.StatusForbidden, "the simulator's admin endpoints answer loopback clients only")
			return
		}
		// A trailing slash names the same endpoint (GET /_sim/stats/).
		if p := r.URL.Path; len(p) > len(AdminPrefix) && strings.HasSuffix(p, "/") {
			r = r.Clone(r.Context())
			r.URL.Path = strings.TrimSuffix(p, "/")
		}
		mux.ServeHTTP(w, r)
	})
}

func noContent(w http.ResponseWriter) { w.WriteHeader(http.StatusNoContent) }

// adminSeed stores the contact of the body, as SeedContact.
func (s *Server) adminSeed(w http.ResponseWriter, r *http.Request) {
	var c map[string]any
	if !readJSON(w, r, &c) {
		return
	}
	id, err := s.TrySeedContact(c)
	if err != nil {
		writeProblem(w, r, http.StatusUnprocessableEntity, err.Error())
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": id})
}

// adminInject injects the fault of the body (adminFault).
func (s *Server) adminInject(w http.ResponseWriter, r *http.Request) {
	var f adminFault
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		writeProblem(w, r, http.StatusUnprocessableEntity, "fault: "+err.Error())
		return
	}
	fault, err := f.fault()
	if err != nil {
		writeProblem(w, r, http.StatusUnprocessableEntity, err.Error())
		return
	}
	s.InjectFault(fault)
	noContent(w)
}

func (s *Server) adminContact(w http.ResponseWriter, r *http.Request, param string) {
	id, err := strconv.ParseInt(param, 10, 64)
	if err != nil {
		writeProblem(w, r, http.StatusNotFound, "no contact "+param)
		return
	}
	switch r.Method {
	case http.MethodGet:
		c, ok := s.Contact(id)
		if !ok {
			writeProblem(w, r, http.StatusNotFound, "no contact "+param)
			return
		}
		writeJSON(w, http.StatusOK, c)
	case http.MethodPut:
		var changes map[string]any
		if !readJSON(w, r, &changes) {
			return
		}
		err := s.EditContact(id, func(c map[string]any) {
			for k, v := range changes {
				if v == nil {
					delete(c, k)
				} else {
					c[k] = v
				}
			}
		})
		if err != nil {
			status := http.StatusUnprocessableEntity
			if _, ok := s.Contact(id); !ok {
				status = http.StatusNotFound
			}
			writeProblem(w, r, status, err.Error())
			return
		}
		c, _ := s.Contact(id)
		writeJSON(w, http.StatusOK, c)
	case http.MethodDelete:
		if !s.DeleteContact(id) {
			writeProblem(w, r, http.StatusNotFound, "no contact "+param)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	default:
		w.Header().Set("Allow", "GET, PUT, DELETE")
		writeProblem(w, r, http.StatusMethodNotAllowed, "method not allowed")
	}
}

func (s *Server) adminSettings(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		writeProblem(w, r, http.StatusBadRequest, "could not read the body: "+err.Error())
		return
	}
	s.mu.Lock()
	next := s.opts
	s.mu.Unlock()
	if err := applySettings(&next, body); err != nil {
		writeProblem(w, r, http.StatusUnprocessableEntity, err.Error())
		return
	}
	s.Configure(func(o *Options) { *o = next })
	w.WriteHeader(http.StatusNoContent)
}

// adminFault is a Fault as JSON. Durations are seconds, as Qomon's Retry-After gives them
// (2, 0.5, "2"), or Go durations ("250ms").
type adminFault struct {
	Method      string  `json:"method"`
	Path        string  `json:"path"`
	Kind        string  `json:"kind"` // status, delay, reset, drop-response
	Status      int     `json:"status"`
	HTML        bool    `json:"html"`
	RetryAfter  seconds `json:"retry_after"`
	Delay       seconds `json:"delay"`
	Times       int     `json:"times"`
	Probability float64 `json:"probability"`
	Seed        int64   `json:"seed"`
}

// seconds is a duration in JSON: a number of seconds, or a string ParseSeconds reads.
type seconds time.Duration

func (d *seconds) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	var text string
	switch t := v.(type) {
	case float64:
		text = strconv.FormatFloat(t, 'f', -1, 64)
	case string:
		text = t
	default:
		return errors.New("expected seconds (a number) or a duration such as \"250ms\"")
	}
	p, err := ParseSeconds(text)
	*d = seconds(p)
	return err
}

func (a adminFault) fault() (Fault, error) {
	kind, ok := ParseFaultKind(a.Kind)
	if !ok {
		return Fault{}, errors.New(`kind must be "status", "delay", "reset" or "drop-response"`)
	}
	f := Fault{Method: a.Method, Path: a.Path, Kind: kind, Status: a.Status, HTML: a.HTML,
		RetryAfter: time.Duration(a.RetryAfter), Delay: time.Duration(a.Delay),
		Times: a.Times, Probability: a.Probability, Seed: a.Seed}
	if f.Probability < 0 || f.Probability > 1 {
		return Fault{}, errors.New("probability must be between 0 and 1")
	}
	return f, nil
}

// adminRequest is a logged request as JSON.
type adminRequest struct {
	Method      string          `json:"method"`
	Path        string          `json:"path"`
	Query       string          `json:"query,omitempty"`
	Header      http.Header     `json:"header"`
	Body        json.RawMessage `json:"body,omitempty"` // the body itself when it is JSON, else a JSON string
	Status      int             `json:"status"`
	Time        string          `json:"time"`
	Cost        int             `json:"cost"`
	RateLimited bool            `json:"rate_limited,omitempty"`
	Fault       string          `json:"fault,omitempty"`
}

func adminRequests(reqs []Request) []adminRequest {
	out := make([]adminRequest, 0, len(reqs))
	for _, r := range reqs {
		a := adminRequest{Method: r.Method, Path: r.Path, Query: r.Query, Header: r.Header,
			Status: r.Status, Time: r.Time.UTC().Format(time.RFC3339Nano), Cost: r.Cost, RateLimited: r.RateLimited}
		if r.Fault != 0 {
			a.Fault = r.Fault.String()
		}
		if len(r.Body) > 0 {
			if json.Valid(r.Body) {
				a.Body = json.RawMessage(r.Body)
			} else {
				a.Body, _ = json.Marshal(string(r.Body))
			}
		}
		out = append(out, a)
	}
	return out
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	if err := dec.Decode(v); err != nil {
		writeProblem(w, r, http.StatusBadRequest, "malformed JSON body: "+err.Error())
		return false
	}
	return true
}

// isLoopbackRemote reports whether a RemoteAddr ("ip:port") is a loopback address.
func isLoopbackRemote(remote string) bool {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
