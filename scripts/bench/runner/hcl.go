package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// person is the realistic content of one generated contact. The same values fill a
// qomon_contact and its terraform_data twin, so both configurations carry the same bytes of HCL
// per resource and the comparison measures the provider, not the configuration.
type person struct {
	Firstname, Surname, Gender, Mail, Mobile, Birthdate string
	HouseNumber, Street, PostalCode, City, Country      string
	Tags                                                []string
}

var (
	firstnames = []string{"Camille", "Louis", "Léa", "Hugo", "Chloé", "Gabriel", "Manon", "Jules", "Inès", "Arthur", "Zoé", "Noah", "Élodie", "Raphaël", "Anaïs", "Théo"}
	genders    = []string{"F", "M", "F", "M", "F", "M", "F", "M", "F", "M", "F", "M", "F", "M", "F", "M"}
	surnames   = []string{"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier"}
	streets    = []string{"rue des Lilas", "avenue Jean Jaurès", "boulevard Voltaire", "rue de la République", "place du Marché", "chemin des Vignes", "rue Victor Hugo", "allée des Tilleuls"}
	cities     = []struct{ postal, city string }{{"75011", "Paris"}, {"69003", "Lyon"}, {"13005", "Marseille"}, {"31000", "Toulouse"}, {"44000", "Nantes"}, {"33000", "Bordeaux"}, {"59000", "Lille"}, {"67000", "Strasbourg"}}
	tagPool    = []string{"volunteer", "donor", "door-to-door", "phone-bank", "newsletter", "event-2026", "member", "supporter"}
)

// personAt returns the i-th generated person: deterministic, so every run and both
// configurations see the same data, and distinct mails so no two contacts collide.
func personAt(i int) person {
	fn := firstnames[i%len(firstnames)]
	sn := surnames[(i/len(firstnames))%len(surnames)]
	c := cities[(i*7)%len(cities)]
	return person{
		Firstname:   fn,
		Surname:     sn,
		Gender:      genders[i%len(genders)],
		Mail:        fmt.Sprintf("%s.%s.%05d@example.org", asciiLower(fn), asciiLower(sn), i),
		Mobile:      fmt.Sprintf("+336%08d", (i*7919)%100000000),
		Birthdate:   fmt.Sprintf("%04d-%02d-%02d", 1950+i%55, 1+i%12, 1+i%28),
		HouseNumber: fmt.Sprintf("%d", 1+(i*13)%180),
		Street:      streets[(i*3)%len(streets)],
		PostalCode:  c.postal,
		City:        c.city,
		Country:     "France",
		Tags:        []string{tagPool[i%len(tagPool)], tagPool[(i/3+1)%len(tagPool)]},
	}
}

// asciiLower folds the accents of the generated names so that mails stay plain ASCII.
func asciiLower(s string) string {
	r := strings.NewReplacer("é", "e", "è", "e", "ë", "e", "ï", "i", "É", "e", "ç", "c")
	return strings.ToLower(r.Replace(s))
}

// providerConfig is what the generated qomon configuration says about the provider.
type providerConfig struct {
	Endpoint   string
	UpdateMode string
	RateLimit  simShape // Disabled: pacing off; else the provider's bucket matches the simulator's
}

// variant changes every contact so that an apply has an update to make: 0 is the original,
// 1 adds a tag to each contact (a PATCH of one managed collection per contact).
type variant int

// writeQomonConfig writes main.tf with n qomon_contact resources.
func writeQomonConfig(dir string, n int, pc providerConfig, v variant) error {
	var b strings.Builder
	b.WriteString("terraform {\n  required_providers {\n    qomon = {\n      source = \"qomon/qomon\"\n    }\n  }\n}\n\n")
	b.WriteString("provider \"qomon\" {\n")
	fmt.Fprintf(&b, "  endpoint    = %q\n", pc.Endpoint)
	fmt.Fprintf(&b, "  update_mode = %q\n", pc.UpdateMode)
	if pc.RateLimit.Disabled {
		b.WriteString("  rate_limit = {\n    enabled = false\n  }\n")
	} else {
		fmt.Fprintf(&b, "  rate_limit = {\n    burst      = %g\n    per_second = %g\n  }\n", pc.RateLimit.Burst, pc.RateLimit.PerSecond)
	}
	b.WriteString("}\n")
	for i := 0; i < n; i++ {
		p := personAt(i)
		fmt.Fprintf(&b, "\nresource \"qomon_contact\" \"c%05d\" {\n", i)
		writePersonAttrs(&b, "  ", p, v)
		b.WriteString("}\n")
	}
	return writeMain(dir, b.String())
}

// writeDataConfig writes main.tf with n terraform_data resources carrying the same values.
func writeDataConfig(dir string, n int, v variant) error {
	var b strings.Builder
	for i := 0; i < n; i++ {
		p := personAt(i)
		fmt.Fprintf(&b, "resource \"terraform_data\" \"c%05d\" {\n  input = {\n", i)
		writePersonAttrs(&b, "    ", p, v)
		b.WriteString("  }\n}\n\n")
	}
	return writeMain(dir, b.String())
}

func writePersonAttrs(b *strings.Builder, ind string, p person, v variant) {
	tags := p.Tags
	if v == 1 {
		tags = append(append([]string(nil), tags...), "bench-update")
	}
	quoted := make([]string, len(tags))
	for i, t := range tags {
		quoted[i] = fmt.Sprintf("%q", t)
	}
	fmt.Fprintf(b, "%sfirstname = %q\n", ind, p.Firstname)
	fmt.Fprintf(b, "%ssurname   = %q\n", ind, p.Surname)
	fmt.Fprintf(b, "%sgender    = %q\n", ind, p.Gender)
	fmt.Fprintf(b, "%smail      = %q\n", ind, p.Mail)
	fmt.Fprintf(b, "%smobile    = %q\n", ind, p.Mobile)
	fmt.Fprintf(b, "%sbirthdate = %q\n", ind, p.Birthdate)
	fmt.Fprintf(b, "%saddress = {\n", ind)
	fmt.Fprintf(b, "%s  housenumber = %q\n", ind, p.HouseNumber)
	fmt.Fprintf(b, "%s  street      = %q\n", ind, p.Street)
	fmt.Fprintf(b, "%s  postalcode  = %q\n", ind, p.PostalCode)
	fmt.Fprintf(b, "%s  city        = %q\n", ind, p.City)
	fmt.Fprintf(b, "%s  country     = %q\n", ind, p.Country)
	fmt.Fprintf(b, "%s}\n", ind)
	fmt.Fprintf(b, "%stags = [%s]\n", ind, strings.Join(quoted, ", "))
}

func writeMain(dir, content string) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "main.tf"), []byte(content), 0o600)
}

// writeCLIConfig writes the CLI configuration that serves our provider from wrapDir without
// `init` (dev_overrides), under both registry hosts so terraform and tofu read the same file.
func writeCLIConfig(path, wrapDir string) error {
	content := fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/qomon/qomon"  = %q
    "registry.opentofu.org/qomon/qomon" = %q
  }
  direct {}
}
`, wrapDir, wrapDir)
	return os.WriteFile(path, []byte(content), 0o600)
}
