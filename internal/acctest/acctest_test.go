package acctest

import (
	"strings"
	"testing"

	"github.com/qomon/terraform-provider-qomon/internal/qomonsim"
)

func TestIsOpenTofu(t *testing.T) {
	cases := []struct {
		cli, host string
		want      bool
	}{
		{"/work/.tools/bin/terraform-1.5.7", "", false},
		{"/work/.tools/bin/tofu-1.12.6", "registry.opentofu.org", true},
		{"/usr/bin/terraform", "registry.opentofu.org", true},
		{"/opt/tofu", "", true},
		{"", "", false},
	}
	for _, c := range cases {
		t.Setenv("TF_ACC_TERRAFORM_PATH", c.cli)
		t.Setenv("TF_ACC_PROVIDER_HOST", c.host)
		if got := IsOpenTofu(); got != c.want {
			t.Errorf("cli %q host %q: IsOpenTofu = %v, want %v", c.cli, c.host, got, c.want)
		}
	}
}

func TestProviderConfigNamesTheServedAddress(t *testing.T) {
	t.Setenv("TF_ACC_PROVIDER_HOST", "")
	t.Setenv("TF_ACC_PROVIDER_NAMESPACE", "")
	env := &Env{}
	cfg := env.ProviderConfig(`update_mode = "merge"`)
	for _, want := range []string{`source = "registry.terraform.io/qomon/qomon"`, `provider "qomon" {`, `update_mode = "merge"`} {
		if !strings.Contains(cfg, want) {
			t.Errorf("config lacks %s:\n%s", want, cfg)
		}
	}
	t.Setenv("TF_ACC_PROVIDER_HOST", "registry.opentofu.org")
	t.Setenv("TF_ACC_PROVIDER_NAMESPACE", "qomon")
	if got := ProviderSource(); got != "registry.opentofu.org/qomon/qomon" {
		t.Errorf("ProviderSource = %q", got)
	}
}

// New wires the provider to a fresh simulator: the factories serve a provider, and the
// simulator answers on loopback with the test token only.
func TestNewStartsASimulator(t *testing.T) {
	env := New(t, qomonsim.Options{})
	if !strings.HasPrefix(env.URL, "http://127.0.0.1:") {
		t.Errorf("URL = %q, want loopback", env.URL)
	}
	server, err := env.Factories["qomon"]()
	if err != nil || server == nil {
		t.Fatalf("factory: %v", err)
	}
	if env.Sim.ContactCount() != 0 {
		t.Error("a fresh simulator should be empty")
	}
}

// A space of an expected message matches the line break a CLI may put there instead.
func TestWrapped(t *testing.T) {
	re := Wrapped(`(?s)Invalid e-mail address.*must be a bare e-mail`)
	if !re.MatchString("Error: Invalid e-mail\naddress\n\n  mail must be a\nbare e-mail address") {
		t.Errorf("%s does not match a message wrapped by the CLI", re)
	}
	if re.MatchString("Error: Invalid e-mailaddress: must be a bare e-mail") {
		t.Errorf("%s matches words the message does not separate", re)
	}
}
