# A VM on AWS that runs a Ward agent. Any cloud works the same way: pass the module's user_data
# to the VM (cloud-init), on a Debian, Ubuntu or RHEL-family image.
#
#   export TF_VAR_ward_agent_token=wat_...   # from the console or POST /api/v1/agents/{id}/install
#   terraform init && terraform apply

terraform {
  required_version = ">= 1.3"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

variable "ward_agent_token" {
  description = "The agent token; keep it out of files, e.g. in TF_VAR_ward_agent_token."
  type        = string
  sensitive   = true
}

variable "ami" {
  description = "A Debian 12, Ubuntu 24.04 or RHEL 9 image."
  type        = string
}

variable "subnet_id" {
  description = "A private subnet with egress to the control plane."
  type        = string
}

module "ward_agent" {
  source = "../.."

  control_plane_url = "https://ward.example.com"
  agent_token       = var.ward_agent_token
  agent_version     = "0.1.0"

  extra_settings = {
    "health-host" = "127.0.0.1"
  }
}

resource "aws_instance" "ward_agent" {
  ami                         = var.ami
  instance_type               = "t3.small"
  subnet_id                   = var.subnet_id
  user_data                   = module.ward_agent.user_data
  user_data_replace_on_change = true

  # The user data holds the agent token: allow only session-token access to instance metadata.
  metadata_options {
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  tags = {
    Name = "ward-agent"
  }
}

output "install_script" {
  description = "The script cloud-init runs, for review."
  value       = module.ward_agent.install_script
}
