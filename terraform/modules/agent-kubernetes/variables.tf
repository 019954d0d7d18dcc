variable "control_plane_url" {
  description = "URL of the Ward control plane the agent dials, e.g. https://ward.example.com."
  type        = string

  validation {
    condition     = can(regex("^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?$", var.control_plane_url))
    error_message = "control_plane_url must be an http:// or https:// URL with a host, e.g. https://ward.example.com."
  }
}

variable "agent_token" {
  description = "The agent token (wat_...) shown when the agent was registered or its install snippet was created. Stored in a Kubernetes secret."
  type        = string
  sensitive   = true

  validation {
    condition     = can(regex("^wat_[A-Za-z0-9_-]{20,200}$", var.agent_token))
    error_message = "agent_token must be a Ward agent token (wat_...), as shown by the console or POST /api/v1/agents/{id}/install."
  }
}

variable "agent_version" {
  description = "Version of the agent distribution the init container downloads, e.g. 0.1.0."
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

variable "name" {
  description = "Name of the deployment, service, secret and config map."
  type        = string
  default     = "ward-agent"

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,50}[a-z0-9])?$", var.name))
    error_message = "name must be a DNS label of at most 52 characters."
  }
}

variable "namespace" {
  description = "Namespace the agent runs in."
  type        = string
  default     = "ward"

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", var.namespace))
    error_message = "namespace must be a DNS label."
  }
}

variable "create_namespace" {
  description = "Create the namespace; false uses an existing one."
  type        = bool
  default     = true
}

variable "image" {
  description = "Java 21+ runtime image the agent runs in (it needs a JRE on PATH or in JAVA_HOME, and /bin/sh)."
  type        = string
  default     = "eclipse-temurin:21-jre"
}

variable "init_image" {
  description = "Image of the init container that downloads and verifies the distribution (it needs sh, curl, sha256sum and tar)."
  type        = string
  default     = "curlimages/curl:8.11.1"
}

variable "health_port" {
  description = "Port of the agent's /healthz and /readyz endpoints."
  type        = number
  default     = 9464

  validation {
    condition     = var.health_port >= 1024 && var.health_port <= 65535 && floor(var.health_port) == var.health_port
    error_message = "health_port must be a port number from 1024 to 65535 (the agent runs as non-root)."
  }
}

variable "listener_ports" {
  description = "Ports of the agent's listeners (the connections configured in the control plane), exposed by the service."
  type = list(object({
    name = string
    port = number
  }))
  default = []

  validation {
    condition = alltrue([
      for p in var.listener_ports :
      can(regex("^[a-z]([a-z0-9-]{0,13}[a-z0-9])?$", p.name)) && p.port >= 1024 && p.port <= 65535
    ])
    error_message = "listener_ports need a name of at most 15 lower-case characters and a port from 1024 to 65535 (the agent runs as non-root)."
  }
}

variable "service_type" {
  description = "Type of the service in front of the listeners: ClusterIP, NodePort or LoadBalancer."
  type        = string
  default     = "ClusterIP"

  validation {
    condition     = contains(["ClusterIP", "NodePort", "LoadBalancer"], var.service_type)
    error_message = "service_type must be ClusterIP, NodePort or LoadBalancer."
  }
}

variable "resources" {
  description = "CPU and memory requests and limits of the agent container."
  type = object({
    requests = map(string)
    limits   = map(string)
  })
  default = {
    requests = { cpu = "250m", memory = "384Mi" }
    limits   = { cpu = "2", memory = "768Mi" }
  }

  validation {
    condition     = contains(keys(var.resources.limits), "memory") && contains(keys(var.resources.limits), "cpu")
    error_message = "resources.limits must set cpu and memory."
  }
}

variable "java_opts" {
  description = "JVM options of the agent, e.g. -XX:MaxRAMPercentage=70."
  type        = string
  default     = "-XX:MaxRAMPercentage=70"
}

variable "data_volume_claim" {
  description = "Name of an existing PersistentVolumeClaim for the data dir (config cache and recording spool). Empty uses an emptyDir, lost when the pod is deleted."
  type        = string
  default     = ""
}

variable "key_encryption_key_secret_name" {
  description = "Name of an existing secret in the namespace whose key-encryption-key entry (at least 16 bytes) seals the agent's private keys, e.g. one an external secrets operator writes. Empty generates one (random_password) in the secret <name>-key-encryption-key."
  type        = string
  default     = ""

  validation {
    condition     = var.key_encryption_key_secret_name == "" || can(regex("^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$", var.key_encryption_key_secret_name))
    error_message = "key_encryption_key_secret_name must be empty or the name of a secret."
  }
}

variable "extra_settings" {
  description = "More agent settings written to its config file, e.g. { \"control-plane-ca-file\" = \"/etc/ward-agent/ca/ca.pem\" }."
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
    condition     = length(setintersection(keys(var.extra_settings), ["control-plane", "token", "token-file", "key-encryption-key-file", "data-dir", "health-host", "health-port"])) == 0
    error_message = "control-plane, token, token-file, key-encryption-key-file, data-dir, health-host and health-port are set by the module."
  }
}

variable "labels" {
  description = "More labels for every object the module creates."
  type        = map(string)
  default     = {}
}
