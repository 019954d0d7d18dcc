variable "control_plane_url" {
  description = "URL of the Ward control plane the agent dials, e.g. https://ward.example.com."
  type        = string

  validation {
    condition     = can(regex("^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?$", var.control_plane_url))
    error_message = "control_plane_url must be an http:// or https:// URL with a host, e.g. https://ward.example.com."
  }
}

variable "agent_token" {
  description = "The agent token (wat_...) shown when the agent was registered or its install snippet was created. Written to a 0600 file on the host."
  type        = string
  sensitive   = true

  validation {
    condition     = can(regex("^wat_[A-Za-z0-9_-]{20,200}$", var.agent_token))
    error_message = "agent_token must be a Ward agent token (wat_...), as shown by the console or POST /api/v1/agents/{id}/install."
  }
}

variable "agent_version" {
  description = "Version of the agent distribution to install, e.g. 0.1.0."
  type        = string

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+(-[A-Za-z0-9.]+)?$", var.agent_version)) && length(var.agent_version) <= 64
    error_message = "agent_version must look like 1.2.3 or 1.2.3-suffix."
  }
}

variable "distribution_url" {
  description = "Base URL the agent distribution is downloaded from. Empty means the control plane's own: <control_plane_url>/api/v1/distribution."
  type        = string
  default     = ""

  validation {
    condition     = var.distribution_url == "" || can(regex("^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?$", var.distribution_url))
    error_message = "distribution_url must be empty or an http:// or https:// URL."
  }
}

variable "install_prefix" {
  description = "Directory the agent is installed under (versions/, current, etc/)."
  type        = string
  default     = "/opt/ward-agent"

  validation {
    condition     = can(regex("^/[A-Za-z0-9._/-]*$", var.install_prefix))
    error_message = "install_prefix must be an absolute path of letters, digits, '.', '_', '-' and '/'."
  }
}

variable "data_dir" {
  description = "The agent's data directory: config cache, keys and recording spool. The only path the service may write."
  type        = string
  default     = "/var/lib/ward-agent"

  validation {
    condition     = can(regex("^/[A-Za-z0-9._/-]*$", var.data_dir))
    error_message = "data_dir must be an absolute path of letters, digits, '.', '_', '-' and '/'."
  }
}

variable "health_port" {
  description = "Port of the agent's /healthz and /readyz endpoints."
  type        = number
  default     = 9464

  validation {
    condition     = var.health_port >= 1 && var.health_port <= 65535 && floor(var.health_port) == var.health_port
    error_message = "health_port must be a port number (1-65535)."
  }
}

variable "java_package_deb" {
  description = "Package installed with apt-get (Debian, Ubuntu) when no Java 21+ runtime is found."
  type        = string
  default     = "openjdk-21-jre-headless"

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9.+_-]*$", var.java_package_deb))
    error_message = "java_package_deb must be a package name."
  }
}

variable "java_package_rpm" {
  description = "Package installed with dnf or yum (RHEL, Rocky, Alma, Fedora, Amazon Linux) when no Java 21+ runtime is found."
  type        = string
  default     = "java-21-openjdk-headless"

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9.+_-]*$", var.java_package_rpm))
    error_message = "java_package_rpm must be a package name."
  }
}

variable "manage_system" {
  description = "Create the ward-agent system user and install, enable and start the systemd unit. false only unpacks and configures (for images built elsewhere, other supervisors and tests)."
  type        = bool
  default     = true
}

variable "key_encryption" {
  description = "Seal the agent's private keys under a generated key-encryption key that systemd-creds encrypts with auto, host, tpm2 or host+tpm2 (systemd 250+), passed to the agent with LoadCredentialEncrypted=. Empty seals them under the agent token."
  type        = string
  default     = ""

  validation {
    condition     = contains(["", "auto", "host", "tpm2", "host+tpm2"], var.key_encryption)
    error_message = "key_encryption must be empty, auto, host, tpm2 or host+tpm2."
  }
}

variable "extra_settings" {
  description = "More agent settings written to its config file, e.g. { \"control-plane-ca-file\" = \"/etc/ssl/ward-ca.pem\" }."
  type        = map(string)
  default     = {}

  validation {
    condition = alltrue([
      for k, v in var.extra_settings :
      can(regex("^[a-z][a-z0-9-]{0,62}$", k)) && !can(regex("[\\r\\n]", v)) && length(v) <= 1024
    ])
    error_message = "extra_settings keys must be lower-case setting names (e.g. control-plane-ca-file) and values single lines."
  }

  validation {
    condition     = length(setintersection(keys(var.extra_settings), ["control-plane", "token", "token-file", "data-dir", "health-port"])) == 0
    error_message = "control-plane, token, token-file, data-dir and health-port are set by their own variables."
  }
}
