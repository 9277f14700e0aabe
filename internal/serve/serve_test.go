package serve

import (
	"reflect"
	"testing"
)

func TestQuietSDKLogs(t *testing.T) {
	off := map[string]string{
		"TF_LOG_SDK": "off", "TF_LOG_SDK_PROTO": "off", "TF_LOG_SDK_FRAMEWORK": "off", "TF_LOG_PROVIDER": "off",
	}
	for _, tc := range []struct {
		name string
		env  map[string]string
		want map[string]string // variables set by quietSDKLogs
	}{
		{name: "nothing set: the CLI discards provider logs, so the SDK's are switched off", env: nil, want: off},
		{name: "unrelated variables do not count", env: map[string]string{"TF_CLI_CONFIG_FILE": "x", "TF_LOG_PATH": "/tmp/l"}, want: off},
		{name: "empty switches count as unset", env: map[string]string{"TF_LOG": ""}, want: off},
		{name: "TF_LOG", env: map[string]string{"TF_LOG": "trace"}},
		{name: "TF_LOG_PROVIDER", env: map[string]string{"TF_LOG_PROVIDER": "debug"}},
		{name: "the provider's own level", env: map[string]string{"TF_LOG_PROVIDER_QOMON": "debug"}},
		{name: "an SDK level chosen by the user", env: map[string]string{"TF_LOG_SDK_PROTO": "trace"}},
		{name: "TF_LOG_SDK", env: map[string]string{"TF_LOG_SDK": "warn"}},
		{name: "TF_LOG_SDK_FRAMEWORK", env: map[string]string{"TF_LOG_SDK_FRAMEWORK": "info"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			set := map[string]string{}
			changed := quietSDKLogs(
				func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok },
				func(k, v string) error { set[k] = v; return nil },
			)
			want := tc.want
			if want == nil {
				want = map[string]string{}
			}
			if !reflect.DeepEqual(set, want) {
				t.Errorf("set %v, want %v", set, want)
			}
			if changed != (len(want) > 0) {
				t.Errorf("returned %v", changed)
			}
		})
	}
}
