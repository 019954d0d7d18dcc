package dev.ward.controlplane.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class InstallScriptTemplateTest {

  @Test
  void substitutionsAreReplacedAndEscapesBecomeLiteralShellSyntax() {
    String out =
        new InstallScriptTemplate("URL='${url}' X=\"$${HOME:-/}\" P='%%{x}' $$plain")
            .render(Map.of("url", "https://ward.example.com"));
    assertThat(out).isEqualTo("URL='https://ward.example.com' X=\"${HOME:-/}\" P='%{x}' $$plain");
  }

  @Test
  void directivesExpressionsAndUnknownVariablesAreRefusedRatherThanGuessed() {
    assertThatThrownBy(() -> new InstallScriptTemplate("%{ if x }a%{ endif }").render(Map.of()))
        .hasMessageContaining("directives");
    assertThatThrownBy(() -> new InstallScriptTemplate("${upper(x)}").render(Map.of("x", "1")))
        .hasMessageContaining("unsupported");
    assertThatThrownBy(() -> new InstallScriptTemplate("${missing}").render(Map.of()))
        .hasMessageContaining("missing");
  }

  @Test
  void theBundledTemplateRendersForThisControlPlaneWithEveryVariableFilled() {
    String script =
        new InstallScripts().render("https://ward.example.com:8443", new AgentVersion("1.2.3"));
    assertThat(script)
        .startsWith("#!/usr/bin/env bash")
        .contains("CONTROL_PLANE_URL='https://ward.example.com:8443'")
        .contains("DISTRIBUTION_URL='https://ward.example.com:8443/api/v1/distribution'")
        .contains("AGENT_VERSION='1.2.3'")
        .contains("PREFIX='/opt/ward-agent'")
        .contains("MANAGE_SYSTEM='true'")
        .contains("Restart=always");
    // Only the shell's own ${...} expansions remain, never an unrendered template variable.
    for (String name :
        new String[] {"control_plane_url", "distribution_url", "agent_version", "prefix"}) {
      assertThat(script).doesNotContain("${" + name + "}");
    }
    assertThat(script).doesNotContain("$${");
  }

  @Test
  void aPublicUrlThatCouldBreakOutOfTheScriptsQuotesIsRefused() {
    assertThatThrownBy(
            () ->
                new InstallScripts()
                    .render("https://evil.example'; rm -rf /; '", new AgentVersion("1.2.3")))
        .hasMessageContaining("WARD_PUBLIC_URL");
  }
}
