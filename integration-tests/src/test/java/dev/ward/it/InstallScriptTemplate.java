package dev.ward.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent-linux module's install script template, rendered as Terraform's templatefile() does for
 * the only syntax the template uses: ${name}, with $${ and %%{ as escapes.
 */
final class InstallScriptTemplate {

  static final String PATH = "terraform/modules/agent-linux/templates/install.sh.tftpl";
  private static final Pattern TOKEN = Pattern.compile("\\$\\$\\{|%%\\{|\\$\\{([a-z_]+)}");

  private InstallScriptTemplate() {}

  static String render(Path repository, Map<String, String> values) throws IOException {
    String text = Files.readString(repository.resolve(PATH));
    Matcher m = TOKEN.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement =
          switch (m.group()) {
            case "$${" -> "${";
            case "%%{" -> "%{";
            default -> {
              String value = values.get(m.group(1));
              if (value == null) {
                throw new IllegalArgumentException("no value for " + m.group(1));
              }
              yield value;
            }
          };
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }
}
