output "user_data" {
  description = "cloud-init user data (#cloud-config) that installs and starts the agent; pass it to the VM's user_data. Holds the agent token."
  value       = local.user_data
  sensitive   = true
}

output "install_script" {
  description = "The rendered install script (no token inside); run it with WARD_AGENT_TOKEN or WARD_AGENT_TOKEN_FILE set, e.g. from your own configuration management."
  value       = local.install_script
}

output "distribution_url" {
  description = "The base URL the install script downloads the agent distribution from."
  value       = local.distribution_url
}
