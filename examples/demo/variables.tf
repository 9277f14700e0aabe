variable "grace_mobile" {
  description = "Grace Hopper's mobile number. `make demo` applies once with the default, then changes it with -var to show an update that touches one field."
  type        = string
  default     = "+33612345678"
}
