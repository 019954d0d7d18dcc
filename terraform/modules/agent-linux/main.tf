locals {
  distribution_url = var.distribution_url != "" ? trimsuffix(var.distribution_url, "/") : "${trimsuffix(var.control_plane_url, "/")}/api/v1/distribution"

  # The same template the control plane serves at /api/v1/distribution/install.sh.
  install_script = templatefile("${path.module}/templates/install.sh.tftpl", {
    control_plane_url = trimsuffix(var.control_plane_url, "/")
    distribution_url  = local.distribution_url
    agent_version     = var.agent_version
    prefix            = var.install_prefix
    data_dir          = var.data_dir
    health_port       = tostring(var.health_port)
    java_package_deb  = var.java_package_deb
    java_package_rpm  = var.java_package_rpm
    manage_system     = tostring(var.manage_system)
    extra_settings    = join("\n", [for k in sort(keys(var.extra_settings)) : "${k}=${var.extra_settings[k]}"])
  })

  # The token travels in its own 0600 file on tmpfs, never inside the script, and is removed
  # once the installer has copied it next to the agent's config.
  token_path = "/run/ward-agent-install/token"

  user_data = "#cloud-config\n${yamlencode({
    packages = ["curl", "ca-certificates"]
    write_files = [
      {
        path        = local.token_path
        owner       = "root:root"
        permissions = "0600"
        content     = var.agent_token
      },
      {
        path        = "/usr/local/sbin/ward-agent-install"
        owner       = "root:root"
        permissions = "0700"
        encoding    = "b64"
        content     = base64encode(local.install_script)
      },
    ]
    runcmd = [
      ["env", "WARD_AGENT_TOKEN_FILE=${local.token_path}", "WARD_AGENT_KEY_ENCRYPTION=${var.key_encryption}", "/usr/local/sbin/ward-agent-install"],
      ["rm", "-f", local.token_path],
    ]
  })}"
}
