package dev.ward.controlplane.distribution;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent install script as a template: the very file the Terraform module {@code agent-linux}
 * renders with {@code templatefile()} ({@code
 * terraform/modules/agent-linux/templates/install.sh.tftpl}, on the class path through a link).
 *
 * <p>Rendering implements the part of Terraform's template language that the template may use:
 * {@code ${name}} substitutions and the escapes <code>$${</code> and <code>%%{</code>. Anything
 * else (directives, expressions) is refused rather than guessed, so both renderers always agree.
 */
public final class InstallScriptTemplate {

  /** Where the template is on the class path. */
  public static final String RESOURCE = "/dev/ward/controlplane/distribution/install.sh.tftpl";

  private static final Pattern TOKEN = Pattern.compile("\\$\\$\\{|%%\\{|\\$\\{([^}]*)}|%\\{");
  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*");

  private final String text;

  public InstallScriptTemplate(String text) {
    this.text = text;
  }

  /** The template shipped with this control plane. */
  public static InstallScriptTemplate bundled() {
    try (InputStream in = InstallScriptTemplate.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the control plane's build");
      }
      return new InstallScriptTemplate(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The script with every {@code ${name}} replaced by its value. */
  public String render(Map<String, String> values) {
    Matcher m = TOKEN.matcher(text);
    StringBuilder out = new StringBuilder(text.length() + 256);
    int last = 0;
    while (m.find()) {
      out.append(text, last, m.start());
      String token = m.group();
      if (token.equals("$${")) {
        out.append("${");
      } else if (token.equals("%%{")) {
        out.append("%{");
      } else if (token.equals("%{")) {
        throw new IllegalArgumentException("template directives are not supported");
      } else {
        String name = m.group(1);
        if (!NAME.matcher(name).matches()) {
          throw new IllegalArgumentException("unsupported template expression ${" + name + "}");
        }
        String value = values.get(name);
        if (value == null) {
          throw new IllegalArgumentException("template variable " + name + " has no value");
        }
        out.append(value);
      }
      last = m.end();
    }
    return out.append(text, last, text.length()).toString();
  }
}
