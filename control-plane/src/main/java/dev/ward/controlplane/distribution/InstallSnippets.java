package dev.ward.controlplane.distribution;

/**
 * The ready-to-paste ways to install one agent: Terraform module blocks for a Linux VM and for
 * Kubernetes, and a one-line shell command. The token is never inside a Terraform block (those end
 * up in repositories): the blocks read it from a sensitive variable, set by {@link
 * #terraformToken}. The shell command passes it in the environment, never in the URL.
 *
 * @param shell {@code curl … | sudo WARD_AGENT_TOKEN=… bash -s}
 * @param terraformToken the shell line that sets the Terraform variable holding the token
 * @param terraformLinux a module block of {@code agent-linux} and its token variable
 * @param terraformKubernetes a module block of {@code agent-kubernetes} and its token variable
 */
public record InstallSnippets(
    String shell, String terraformToken, String terraformLinux, String terraformKubernetes) {

  /** The snippets for an agent named {@code agentName}, installing {@code version}. */
  public static InstallSnippets of(
      String publicUrl, AgentVersion version, String agentName, String token, String moduleSource) {
    String script = publicUrl + DistributionResource.PATH + "/install.sh?version=" + version;
    // Tokens are URL-safe Base64 behind a prefix: nothing in them needs shell quoting, but the
    // quotes keep a copy-paste safe should that change.
    String shell = "curl -fsSL '" + script + "' | sudo WARD_AGENT_TOKEN='" + token + "' bash -s";
    String label = "ward_agent_" + agentName.replace('-', '_');
    String variable =
        """
        variable "ward_agent_token" {
          description = "Token of the Ward agent %s (export TF_VAR_ward_agent_token)."
          type        = string
          sensitive   = true
        }
        """
            .formatted(agentName);
    String linux =
        variable
            + """

            module "%s" {
              source            = "%s/agent-linux"
              control_plane_url = "%s"
              agent_token       = var.ward_agent_token
              agent_version     = "%s"
            }

            # Give the VM module.%s.user_data as its user_data (cloud-init).
            """
                .formatted(label, moduleSource, publicUrl, version, label);
    String kubernetes =
        variable
            + """

            module "%s" {
              source            = "%s/agent-kubernetes"
              control_plane_url = "%s"
              agent_token       = var.ward_agent_token
              agent_version     = "%s"
              namespace         = "ward"
            %s}
            """
                .formatted(
                    label,
                    moduleSource,
                    publicUrl,
                    version,
                    // The module's names are DNS labels of at most 52 characters.
                    agentName.length() <= 52
                        ? "  name              = \"" + agentName + "\"\n"
                        : "");
    return new InstallSnippets(
        shell, "export TF_VAR_ward_agent_token='" + token + "'", linux, kubernetes);
  }
}
