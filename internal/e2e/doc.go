// Package e2e holds the provider's reliability and security tests: a soak test of the API
// client against the simulator, the bad-input table, fault-injection acceptance tests through
// a real Terraform or OpenTofu CLI, interruption tests, and the log-leak and redirect checks.
//
// It contains no production code. It lives apart from the packages it exercises so that a
// half-finished test here never breaks another package's build, and so that it can only use
// their exported API, as a user of the provider would.
//
// The short versions run in the README's test command; `make soak` and `make fuzz` run the
// long ones. Acceptance tests need TF_ACC=1 and TF_ACC_TERRAFORM_PATH, as everywhere else in
// this repository.
package e2e
