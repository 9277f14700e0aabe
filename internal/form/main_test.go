package form_test

import (
	"os"
	"testing"

	"github.com/qomon/terraform-provider-qomon/internal/acctest"
)

// The acceptance tests run in parallel, each against its own simulator (acctest.Parallel):
// acctest.Main prepares the environment once for all of them.
func TestMain(m *testing.M) { os.Exit(acctest.Main(m)) }
