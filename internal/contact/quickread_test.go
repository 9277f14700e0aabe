package contact

import (
	"context"
	"encoding/json"
	"math/big"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/qomon/terraform-provider-qomon/internal/contact/sweep"
	"github.com/qomon/terraform-provider-qomon/internal/providerdata"
	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// quickSpace is a sweep's view of a space whose contacts 1 to 3 were last written at quickT0.
type quickSpace struct{}

const quickT0 = "2026-05-01T08:00:00.000001Z"

func (quickSpace) SweepPage(context.Context, int, int) ([]qomon.Stamp, error) {
	return []qomon.Stamp{{ID: 1, UpdatedAt: qomon.Some(quickT0)}, {ID: 2, UpdatedAt: qomon.Some(quickT0)},
		{ID: 3, UpdatedAt: qomon.Some(quickT0)}}, nil
}

// TestQuickRead: a read is answered without the framework only when the sweep vouches for the
// contact and nothing else about the read needs the framework; the answer is the request's
// state and private state, and the contact's id as identity.
func TestQuickRead(t *testing.T) {
	ctx := context.Background()
	refresh := sweep.New(sweep.Config{Mode: sweep.ModeSearch, SpaceSize: 3, Pager: quickSpace{}, Samples: 1})
	first := sweep.Query{ID: 1, UpdatedAt: quickT0, Exact: true}
	if a, err := refresh.Ask(ctx, first); err != nil || a.Verdict != sweep.Sample {
		t.Fatalf("first read: %+v, %v", a, err)
	}
	refresh.Observe(sweep.Observation{Query: first, Sample: true, ReadUpdatedAt: quickT0, Same: true})
	refresh.Wrote(3)
	data := &providerdata.Data{Client: &qomon.Client{}, Refresh: refresh}

	types := quickTypes()
	state := func(id int64, updatedAt string) *tfprotov6.DynamicValue {
		attrs := map[string]tftypes.Value{}
		for name, at := range types.state.(tftypes.Object).AttributeTypes {
			attrs[name] = tftypes.NewValue(at, nil)
		}
		attrs["id"] = tftypes.NewValue(tftypes.Number, big.NewFloat(float64(id)))
		attrs["updated_at"] = tftypes.NewValue(tftypes.String, updatedAt)
		dv, err := tfprotov6.NewDynamicValue(types.state, tftypes.NewValue(types.state, attrs))
		if err != nil {
			t.Fatal(err)
		}
		return &dv
	}
	private := func(keys map[string]string) []byte {
		m := map[string][]byte{}
		for k, v := range keys {
			m[k] = []byte(v)
		}
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	identity := func(id int64) *tfprotov6.ResourceIdentityData {
		dv, err := tfprotov6.NewDynamicValue(types.identity, tftypes.NewValue(types.identity, map[string]tftypes.Value{
			identityIDAttr: tftypes.NewValue(tftypes.Number, big.NewFloat(float64(id)))}))
		if err != nil {
			t.Fatal(err)
		}
		return &tfprotov6.ResourceIdentityData{IdentityData: &dv}
	}
	mirror := `{"v":1,"updated_at":"` + quickT0 + `"}`
	managed := `["firstname"]`
	read := func(id int64) *tfprotov6.ReadResourceRequest {
		return &tfprotov6.ReadResourceRequest{TypeName: "qomon_contact", CurrentState: state(id, quickT0),
			Private: private(map[string]string{mirrorKey: mirror, "managed": managed})}
	}

	for name, tc := range map[string]struct {
		data *providerdata.Data
		req  *tfprotov6.ReadResourceRequest
	}{
		"not configured":          {nil, read(2)},
		"no sweep":                {&providerdata.Data{Client: &qomon.Client{}}, read(2)},
		"written by this process": {data, read(3)},
		"not in the sweep":        {data, read(4)},
		"changed since the state": {data, &tfprotov6.ReadResourceRequest{CurrentState: state(2, "2026-05-01T09:00:00Z"), Private: private(map[string]string{mirrorKey: mirror})}},
		"no mirror record":        {data, &tfprotov6.ReadResourceRequest{CurrentState: state(2, quickT0), Private: private(map[string]string{"managed": managed})}},
		"no private state":        {data, &tfprotov6.ReadResourceRequest{CurrentState: state(2, quickT0)}},
		"after an import":         {data, &tfprotov6.ReadResourceRequest{CurrentState: state(2, quickT0), Private: private(map[string]string{mirrorKey: mirror, importingKey: "true"})}},
		"marked by the framework": {data, &tfprotov6.ReadResourceRequest{CurrentState: state(2, quickT0), Private: private(map[string]string{mirrorKey: mirror, ".import_before_read": "true"})}},
		"invalid private value":   {data, &tfprotov6.ReadResourceRequest{CurrentState: state(2, quickT0), Private: private(map[string]string{mirrorKey: mirror, "managed": "{"})}},
		"another identity":        {data, &tfprotov6.ReadResourceRequest{CurrentState: state(2, quickT0), Private: private(map[string]string{mirrorKey: mirror}), CurrentIdentity: identity(7)}},
		"unreadable state":        {data, &tfprotov6.ReadResourceRequest{CurrentState: &tfprotov6.DynamicValue{MsgPack: []byte{0xc1}}, Private: private(map[string]string{mirrorKey: mirror})}},
	} {
		if resp, ok := QuickRead(ctx, tc.data, tc.req); ok || resp != nil {
			t.Errorf("%s: answered %+v without the framework", name, resp)
		}
	}

	req := read(2)
	for _, current := range []*tfprotov6.ResourceIdentityData{nil, identity(2)} {
		req.CurrentIdentity = current
		resp, ok := QuickRead(ctx, data, req)
		if !ok {
			t.Fatalf("identity %v: contact 2, unchanged since its state, was not answered", current)
		}
		if resp.NewState != req.CurrentState || string(resp.Private) != string(req.Private) || len(resp.Diagnostics) > 0 {
			t.Errorf("answer %+v, want the request's state and private state", resp)
		}
		got, err := resp.NewIdentity.IdentityData.Unmarshal(types.identity)
		if err != nil {
			t.Fatal(err)
		}
		if want, _ := identity(2).IdentityData.Unmarshal(types.identity); !got.Equal(want) {
			t.Errorf("identity %v, want %v", got, want)
		}
	}
}
