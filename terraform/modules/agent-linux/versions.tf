terraform {
  # templatefile(), yamlencode() and variable validation; no provider is needed.
  required_version = ">= 1.3"
}
