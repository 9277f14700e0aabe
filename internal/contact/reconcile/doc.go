// Package reconcile is the engine of qomon_contact, with nothing of Terraform in it: the field
// registry (registry.go) declares each contact field once — its attribute, documentation, type,
// wire key, how two spellings of its value compare, how it is validated, whether it is managed
// on its own or as a whole — and everything else here is derived from it by walking it:
//
//   - Canonical and KeepSpelling turn what Qomon answers into what state holds: one spelling per
//     value, and the spelling state already had wherever Qomon's means the same;
//   - BuildUpdate and CreateBody decide what a write sends, and the conflict check of replace
//     mode;
//   - StoredDifferently, LostFields and MatchLostCreate compare what was sent with what came
//     back;
//   - FieldAtLocation maps the location of a Qomon validation error onto a field.
//
// The framework glue in package contact derives the schema, the conversion to and from
// Terraform values, ownership and plan-time validation from the same registry.
package reconcile
