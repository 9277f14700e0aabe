package contact

import (
	"context"
	"flag"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
)

// tfplugindocs renders docs/ from the schema the pinned Terraform 1.5.7 reports, and Terraform
// learned resource identity in 1.12 and list resources in 1.14: the identity of qomon_contact
// and the schema of its list resource never reach it. Their sections in templates/ are written
// from the provider's own schemas instead, in tfplugindocs' layout, and this test fails when a
// template no longer says what the schema does. -update-docs rewrites the sections.
var updateDocs = flag.Bool("update-docs", false, "rewrite the schema sections of the templates from the provider's schemas")

func TestDocsMatchSchemas(t *testing.T) {
	list, err := listConfigSchema(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		file, section, want string
	}{
		{"../../templates/resources/contact.md.tmpl", "identity schema", identityMarkdown(identitySchema())},
		{"../../templates/list-resources/contact.md.tmpl", "list schema", listMarkdown(list)},
	} {
		raw, err := os.ReadFile(c.file)
		if err != nil {
			t.Fatal(err)
		}
		text := string(raw)
		begin, end := "<!-- BEGIN "+c.section, "<!-- END "+c.section+" -->"
		i, j := strings.Index(text, begin), strings.Index(text, end)
		if i < 0 || j < i {
			t.Fatalf("%s: no %q ... %q markers", c.file, begin, end)
		}
		i += strings.Index(text[i:], "-->\n") + len("-->\n")
		if got := text[i:j]; got != c.want {
			if !*updateDocs {
				t.Errorf("%s: the %s section is not the schema's; run `go test ./internal/contact -run TestDocsMatchSchemas -update-docs`.\ngot:\n%s\nwant:\n%s", c.file, c.section, got, c.want)
				continue
			}
			if err := os.WriteFile(c.file, []byte(text[:i]+c.want+text[j:]), 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func identityMarkdown(s identityschema.Schema) string {
	var b strings.Builder
	b.WriteString("### Identity Schema\n")
	for _, required := range []bool{true, false} {
		heading := map[bool]string{true: "Required", false: "Optional"}[required]
		for _, name := range slices.Sorted(maps.Keys(s.Attributes)) {
			a := s.Attributes[name]
			if a.IsRequiredForImport() != required {
				continue
			}
			if heading != "" {
				fmt.Fprintf(&b, "\n#### %s\n\n", heading)
				heading = ""
			}
			fmt.Fprintf(&b, "- `%s` (%s) %s\n", name, typeName(a), a.GetDescription())
		}
	}
	return b.String()
}

// listMarkdown renders the list block's config as tfplugindocs renders a schema: the
// attributes by name, then each nested one's own section.
func listMarkdown(s listschema.Schema) string {
	var b strings.Builder
	b.WriteString("## Schema\n\nThe arguments of the `config` block.\n\n### Optional\n\n")
	var nested []string
	for _, name := range slices.Sorted(maps.Keys(s.Attributes)) {
		a := s.Attributes[name]
		fmt.Fprintf(&b, "- `%s` (%s) %s", name, typeName(a), a.GetMarkdownDescription())
		if _, ok := a.(listschema.ListNestedAttribute); ok {
			fmt.Fprintf(&b, " (see [below for nested schema](#nestedatt--%s))", name)
			nested = append(nested, name)
		}
		b.WriteString("\n")
	}
	for _, name := range nested {
		n := s.Attributes[name].(listschema.ListNestedAttribute)
		fmt.Fprintf(&b, "\n<a id=\"nestedatt--%s\"></a>\n### Nested Schema for `%s`\n\nOptional:\n\n", name, name)
		for _, child := range slices.Sorted(maps.Keys(n.NestedObject.Attributes)) {
			a := n.NestedObject.Attributes[child]
			fmt.Fprintf(&b, "- `%s` (%s) %s\n", child, typeName(a), a.GetMarkdownDescription())
		}
	}
	return b.String()
}

func typeName(a any) string {
	switch a.(type) {
	case listschema.StringAttribute:
		return "String"
	case listschema.BoolAttribute:
		return "Boolean"
	case listschema.Int64Attribute, identityschema.Int64Attribute:
		return "Number"
	case listschema.ListNestedAttribute:
		return "Attributes List"
	}
	return fmt.Sprintf("%T", a)
}
