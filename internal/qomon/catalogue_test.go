package qomon

import (
	"context"
	"sync"
	"testing"
)

// A catalogue lists each family once, however many callers ask, at the same time or later,
// and keeps the families apart.
func TestFormCatalogueListsEachFamilyOnce(t *testing.T) {
	srv := newFakeServer(t, reply(200, formsAnswer))
	c, _ := newTestClient(t, srv.URL)
	cat := NewFormCatalogue(c)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			forms, err := cat.Forms(context.Background(), "consent")
			if err != nil || len(forms) != 3 {
				t.Errorf("got %d forms, %v", len(forms), err)
			}
		}()
	}
	wg.Wait()
	if _, err := cat.Forms(context.Background(), "consent"); err != nil {
		t.Fatal(err)
	}
	if _, err := cat.Forms(context.Background(), "survey"); err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, r := range srv.seen() {
		paths = append(paths, r.Path)
	}
	if len(paths) != 2 || paths[0] != "/v1/forms/type/consent" || paths[1] != "/v1/forms/type/survey" {
		t.Errorf("requests %v, want one per family", paths)
	}
}

// An error is kept too (one request per family and process), except when the caller's context
// cut the request short: the next caller asks again.
func TestFormCatalogueErrors(t *testing.T) {
	srv := newFakeServer(t, reply(400, `{"status":"fail","data":{"message":"bad type"}}`))
	c, _ := newTestClient(t, srv.URL)
	cat := NewFormCatalogue(c)
	for i := 0; i < 2; i++ {
		if _, err := cat.Forms(context.Background(), "consent"); err == nil {
			t.Fatal("no error")
		}
	}
	if n := len(srv.seen()); n != 1 {
		t.Errorf("%d requests, want 1: the error is kept", n)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := cat.Forms(ctx, "survey"); err == nil {
		t.Fatal("no error from a cancelled context")
	}
	if _, err := cat.Forms(context.Background(), "survey"); err == nil {
		t.Fatal("no error")
	}
	if n := len(srv.seen()); n != 2 {
		t.Errorf("%d requests, want 2: the cancelled listing is asked again, once", n)
	}
}
