locals {
  distribution_url = var.distribution_url != "" ? trimsuffix(var.distribution_url, "/") : "${trimsuffix(var.control_plane_url, "/")}/api/v1/distribution"
  namespace        = var.create_namespace ? kubernetes_namespace_v1.agent[0].metadata[0].name : var.namespace

  selector = {
    "app.kubernetes.io/name"     = "ward-agent"
    "app.kubernetes.io/instance" = var.name
  }
  labels = merge(var.labels, local.selector, {
    "app.kubernetes.io/version"    = var.agent_version
    "app.kubernetes.io/managed-by" = "terraform"
  })

  # Where things live in the pod.
  distribution_dir = "/opt/ward-agent"
  config_dir       = "/etc/ward-agent"
  token_dir        = "/var/run/secrets/ward-agent"
  kek_dir          = "/var/run/secrets/ward-agent-key-encryption-key"
  data_dir         = "/var/lib/ward-agent"

  # The secret holding the key-encryption key: the module's own, or one the caller manages.
  kek_secret_name = var.key_encryption_key_secret_name != "" ? var.key_encryption_key_secret_name : kubernetes_secret_v1.key_encryption_key[0].metadata[0].name

  agent_config = join("\n", concat([
    "# Ward agent settings, written by the agent-kubernetes module.",
    "control-plane=${trimsuffix(var.control_plane_url, "/")}",
    "token-file=${local.token_dir}/token",
    "key-encryption-key-file=${local.kek_dir}/key-encryption-key",
    "data-dir=${local.data_dir}",
    "health-host=0.0.0.0",
    "health-port=${var.health_port}",
  ], [for k in sort(keys(var.extra_settings)) : "${k}=${var.extra_settings[k]}"]), "\n")

  # The image contract of the init container: sh, curl, sha256sum and tar (curlimages/curl has
  # them). It downloads the versioned tarball and its checksum from the control plane and
  # refuses to unpack on a mismatch, so the pod never starts an unverified agent.
  fetch_script = <<-EOT
    set -eu
    file="ward-agent-$WARD_AGENT_VERSION.tar.gz"
    base="$WARD_DISTRIBUTION_URL/agent/$WARD_AGENT_VERSION"
    curl -fsSL --retry 3 --max-time 300 -o "/tmp/$file" "$base/$file"
    curl -fsSL --retry 3 --max-time 60 -o "/tmp/$file.sha256" "$base/$file.sha256"
    expected="$(cut -d ' ' -f 1 "/tmp/$file.sha256" | tr -d '[:space:]')"
    actual="$(sha256sum "/tmp/$file" | cut -d ' ' -f 1)"
    if [ "$expected" != "$actual" ]; then
      echo "checksum mismatch for $file (expected $expected, got $actual); refusing to install" >&2
      exit 1
    fi
    tar -xzf "/tmp/$file" -C ${local.distribution_dir}
    rm -f "/tmp/$file"
    echo "ward-agent $WARD_AGENT_VERSION verified and unpacked"
  EOT
}

resource "kubernetes_namespace_v1" "agent" {
  count = var.create_namespace ? 1 : 0

  metadata {
    name   = var.namespace
    labels = merge(var.labels, { "app.kubernetes.io/managed-by" = "terraform" })
  }
}

resource "kubernetes_service_account_v1" "agent" {
  metadata {
    name      = var.name
    namespace = local.namespace
    labels    = local.labels
  }
  # The agent never calls the Kubernetes API.
  automount_service_account_token = false
}

resource "kubernetes_secret_v1" "token" {
  metadata {
    name      = "${var.name}-token"
    namespace = local.namespace
    labels    = local.labels
  }
  type = "Opaque"
  data = {
    token = var.agent_token
  }
}

# The agent seals its private keys in the data volume under this key rather than under the token,
# so a token rotation leaves them readable: the key is generated once and never derived from, or
# replaced with, the token (see "Keys at rest" in the README).
resource "random_password" "key_encryption_key" {
  count = var.key_encryption_key_secret_name == "" ? 1 : 0

  length  = 64
  special = false
}

resource "kubernetes_secret_v1" "key_encryption_key" {
  count = var.key_encryption_key_secret_name == "" ? 1 : 0

  metadata {
    name      = "${var.name}-key-encryption-key"
    namespace = local.namespace
    labels    = local.labels
  }
  type = "Opaque"
  data = {
    key-encryption-key = random_password.key_encryption_key[0].result
  }
}

resource "kubernetes_config_map_v1" "config" {
  metadata {
    name      = "${var.name}-config"
    namespace = local.namespace
    labels    = local.labels
  }
  data = {
    "agent.conf" = local.agent_config
  }
}

resource "kubernetes_deployment_v1" "agent" {
  metadata {
    name      = var.name
    namespace = local.namespace
    labels    = local.labels
  }

  spec {
    # One agent token is one agent: a second replica would replace the first one's channel.
    replicas = 1

    strategy {
      type = "Recreate"
    }

    selector {
      match_labels = local.selector
    }

    template {
      metadata {
        labels = local.labels
        annotations = {
          # A new config or token rolls the pod.
          "ward.dev/config-sha256" = sha256(local.agent_config)
          "ward.dev/token-sha256"  = sha256(var.agent_token)
        }
      }

      spec {
        service_account_name            = kubernetes_service_account_v1.agent.metadata[0].name
        automount_service_account_token = false

        security_context {
          run_as_non_root = true
          run_as_user     = 10001
          run_as_group    = 10001
          fs_group        = 10001
          seccomp_profile {
            type = "RuntimeDefault"
          }
        }

        init_container {
          name    = "fetch-distribution"
          image   = var.init_image
          command = ["/bin/sh", "-c", local.fetch_script]

          env {
            name  = "WARD_DISTRIBUTION_URL"
            value = local.distribution_url
          }
          env {
            name  = "WARD_AGENT_VERSION"
            value = var.agent_version
          }

          resources {
            requests = { cpu = "50m", memory = "32Mi" }
            limits   = { cpu = "500m", memory = "128Mi" }
          }

          security_context {
            allow_privilege_escalation = false
            read_only_root_filesystem  = true
            run_as_non_root            = true
            capabilities {
              drop = ["ALL"]
            }
          }

          volume_mount {
            name       = "distribution"
            mount_path = local.distribution_dir
          }
          volume_mount {
            name       = "tmp"
            mount_path = "/tmp"
          }
        }

        container {
          name    = "agent"
          image   = var.image
          command = ["${local.distribution_dir}/ward-agent-${var.agent_version}/bin/ward-agent"]
          args    = ["--config", "${local.config_dir}/agent.conf"]

          env {
            name  = "JAVA_OPTS"
            value = var.java_opts
          }

          port {
            name           = "health"
            container_port = var.health_port
          }

          dynamic "port" {
            for_each = var.listener_ports
            content {
              name           = port.value.name
              container_port = port.value.port
            }
          }

          # Started: the JVM is up. Live: /healthz answers. Ready: it enforces a config.
          startup_probe {
            http_get {
              path = "/healthz"
              port = "health"
            }
            period_seconds    = 2
            failure_threshold = 60
          }

          liveness_probe {
            http_get {
              path = "/healthz"
              port = "health"
            }
            period_seconds    = 10
            timeout_seconds   = 3
            failure_threshold = 3
          }

          readiness_probe {
            http_get {
              path = "/readyz"
              port = "health"
            }
            period_seconds    = 5
            timeout_seconds   = 3
            failure_threshold = 2
          }

          resources {
            requests = var.resources.requests
            limits   = var.resources.limits
          }

          security_context {
            allow_privilege_escalation = false
            read_only_root_filesystem  = true
            run_as_non_root            = true
            capabilities {
              drop = ["ALL"]
            }
          }

          volume_mount {
            name       = "distribution"
            mount_path = local.distribution_dir
            read_only  = true
          }
          volume_mount {
            name       = "config"
            mount_path = local.config_dir
            read_only  = true
          }
          volume_mount {
            name       = "token"
            mount_path = local.token_dir
            read_only  = true
          }
          volume_mount {
            name       = "key-encryption-key"
            mount_path = local.kek_dir
            read_only  = true
          }
          volume_mount {
            name       = "data"
            mount_path = local.data_dir
          }
          volume_mount {
            name       = "tmp"
            mount_path = "/tmp"
          }
        }

        volume {
          name = "distribution"
          empty_dir {
            size_limit = "256Mi"
          }
        }

        volume {
          name = "tmp"
          empty_dir {
            size_limit = "256Mi"
          }
        }

        volume {
          name = "config"
          config_map {
            name = kubernetes_config_map_v1.config.metadata[0].name
          }
        }

        volume {
          name = "token"
          secret {
            secret_name  = kubernetes_secret_v1.token.metadata[0].name
            default_mode = "0440"
          }
        }

        volume {
          name = "key-encryption-key"
          secret {
            secret_name  = local.kek_secret_name
            default_mode = "0440"
            items {
              key  = "key-encryption-key"
              path = "key-encryption-key"
            }
          }
        }

        dynamic "volume" {
          for_each = var.data_volume_claim == "" ? [1] : []
          content {
            name = "data"
            empty_dir {}
          }
        }

        dynamic "volume" {
          for_each = var.data_volume_claim == "" ? [] : [var.data_volume_claim]
          content {
            name = "data"
            persistent_volume_claim {
              claim_name = volume.value
            }
          }
        }
      }
    }
  }
}

resource "kubernetes_service_v1" "agent" {
  metadata {
    name      = var.name
    namespace = local.namespace
    labels    = local.labels
  }

  spec {
    type     = var.service_type
    selector = local.selector

    port {
      name        = "health"
      port        = var.health_port
      target_port = "health"
    }

    dynamic "port" {
      for_each = var.listener_ports
      content {
        name        = port.value.name
        port        = port.value.port
        target_port = port.value.name
      }
    }
  }
}
