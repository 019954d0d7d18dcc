# A Ward agent in a Kubernetes cluster, in front of a PostgreSQL database on port 5432.
#
#   export TF_VAR_ward_agent_token=wat_...   # from the console or POST /api/v1/agents/{id}/install
#   terraform init && terraform apply

terraform {
  required_version = ">= 1.3"
  required_providers {
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = ">= 2.23"
    }
  }
}

provider "kubernetes" {
  config_path = "~/.kube/config"
}

variable "ward_agent_token" {
  description = "The agent token; keep it out of files, e.g. in TF_VAR_ward_agent_token."
  type        = string
  sensitive   = true
}

module "ward_agent" {
  source = "../.."

  control_plane_url = "https://ward.example.com"
  agent_token       = var.ward_agent_token
  agent_version     = "0.1.0"
  namespace         = "ward"

  listener_ports = [
    { name = "postgres", port = 5432 },
  ]
}

output "service" {
  description = "Point database clients at this service."
  value       = "${module.ward_agent.service_name}.${module.ward_agent.namespace}.svc"
}
