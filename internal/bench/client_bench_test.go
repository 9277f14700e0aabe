package bench

import (
	"context"
	"fmt"
	"testing"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

func newClient(tb testing.TB) *qomon.Client {
	tb.Helper()
	_, url := qomonsim.NewTestServer(tb, qomonsim.Options{Tokens: []string{benchToken}, RateLimit: qomonsim.RateLimit{Disabled: true}})
	c, err := qomon.New(qomon.Config{Endpoint: url, Token: benchToken, UserAgent: "bench", RateLimit: qomon.RateLimit{Disabled: true}})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func wireContact(i int) qomon.Contact {
	return qomon.Contact{
		Firstname: qomon.Some("Camille"),
		Surname:   qomon.Some("Martin"),
		Gender:    qomon.Some("F"),
		Mail:      qomon.Some(fmt.Sprintf("camille.martin.%07d@example.org", i)),
		Mobile:    qomon.Some(fmt.Sprintf("+336%08d", i%100000000)),
		Birthdate: qomon.Some("1984-03-12T00:00:00Z"),
		Address: qomon.Some(qomon.Address{
			HouseNumber: qomon.Some("12"),
			Street:      qomon.Some("rue des Lilas"),
			PostalCode:  qomon.Some("75011"),
			City:        qomon.Some("Paris"),
			Country:     qomon.Some("France"),
		}),
		Tags: qomon.Some([]qomon.Tag{{Name: "volunteer"}, {Name: "door-to-door"}}),
	}
}

// BenchmarkClientCreate is one POST /contacts through the client (and the in-process simulator).
func BenchmarkClientCreate(b *testing.B) {
	ctx := context.Background()
	c := newClient(b)
	eachIteration(b, func(i int) error {
		_, err := c.CreateContact(ctx, wireContact(i))
		return err
	})
}

// BenchmarkClientGet is one GET /contacts/{id}: the whole of a refresh's API work per contact.
func BenchmarkClientGet(b *testing.B) {
	ctx := context.Background()
	c := newClient(b)
	created, err := c.CreateContact(ctx, wireContact(0))
	if err != nil {
		b.Fatal(err)
	}
	id, _ := created.ID.Get()
	eachIteration(b, func(int) error {
		_, err := c.GetContact(ctx, id)
		return err
	})
}

// The limiter's own cost per request is measured in internal/qomon (BenchmarkLimiterWait): its
// wait is not exported.
