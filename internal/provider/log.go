package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/qomon/terraform-provider-qomon/internal/qomon"
)

// tflogLogger bridges the API client's logging into Terraform's, under TF_LOG / TF_LOG_PROVIDER.
// The client masks the token and personal data before a message gets here.
type tflogLogger struct{}

func (tflogLogger) Log(ctx context.Context, level qomon.Level, msg string, fields map[string]any) {
	switch level {
	case qomon.LevelTrace:
		tflog.Trace(ctx, msg, fields)
	case qomon.LevelDebug:
		tflog.Debug(ctx, msg, fields)
	case qomon.LevelInfo:
		tflog.Info(ctx, msg, fields)
	default:
		tflog.Warn(ctx, msg, fields)
	}
}
