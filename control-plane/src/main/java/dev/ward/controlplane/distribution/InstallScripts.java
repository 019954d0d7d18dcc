package dev.ward.controlplane.distribution;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Renders the install script for this control plane, with the same defaults as the Terraform
 * module's variables (terraform/modules/agent-linux/variables.tf): what {@code curl … | sudo bash}
 * gets.
 */
@ApplicationScoped
public class InstallScripts {

  /** URLs that are safe inside the script's single quotes; the module validates the same way. */
  private static final Pattern SAFE_URL =
      Pattern.compile("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?");

  private final InstallScriptTemplate template = InstallScriptTemplate.bundled();

  /** The script that installs {@code version} from, and connects it to, {@code publicUrl}. */
  public String render(String publicUrl, AgentVersion version) {
    if (!SAFE_URL.matcher(publicUrl).matches()) {
      throw new IllegalStateException(
          "The control plane's public URL "
              + publicUrl
              + " cannot be used in the install script; set WARD_PUBLIC_URL to https://host[:port]");
    }
    Map<String, String> values = new LinkedHashMap<>();
    values.put("control_plane_url", publicUrl);
    values.put("distribution_url", publicUrl + DistributionResource.PATH);
    values.put("agent_version", version.value());
    values.put("prefix", "/opt/ward-agent");
    values.put("data_dir", "/var/lib/ward-agent");
    values.put("health_port", "9464");
    values.put("java_package_deb", "openjdk-21-jre-headless");
    values.put("java_package_rpm", "java-21-openjdk-headless");
    values.put("manage_system", "true");
    values.put("extra_settings", "");
    return template.render(values);
  }
}
