output "namespace" {
  description = "Namespace the agent runs in."
  value       = local.namespace
}

output "deployment_name" {
  description = "Name of the agent's deployment."
  value       = kubernetes_deployment_v1.agent.metadata[0].name
}

output "service_name" {
  description = "Name of the service in front of the agent's listeners and health port."
  value       = kubernetes_service_v1.agent.metadata[0].name
}

output "secret_name" {
  description = "Name of the secret holding the agent token."
  value       = kubernetes_secret_v1.token.metadata[0].name
}

output "key_encryption_key_secret_name" {
  description = "Name of the secret holding the key-encryption key that seals the agent's private keys."
  value       = local.kek_secret_name
}

output "config_map_name" {
  description = "Name of the config map holding the agent's settings (agent.conf)."
  value       = kubernetes_config_map_v1.config.metadata[0].name
}

output "distribution_url" {
  description = "The base URL the init container downloads the agent distribution from."
  value       = local.distribution_url
}
