package dev.ward.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * What a fault or load test measured, written to {@code target/reliability/<name>.json} so that
 * {@code bench/reliability.py} can report the long runs with their numbers.
 */
final class RunFigures {

  static final Path FOLDER = Path.of("target", "reliability");

  private RunFigures() {}

  static void write(String name, Map<String, Object> figures) throws IOException {
    Files.createDirectories(FOLDER);
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(FOLDER.resolve(name + ".json").toFile(), figures);
  }

  /** A duration setting of a test, e.g. {@code -Dward.load.duration=PT5M}, or its default. */
  static Duration duration(String property, Duration otherwise) {
    String value = System.getProperty(property);
    return value == null || value.isBlank() ? otherwise : Duration.parse(value);
  }

  /** A whole-number setting of a test, or its default. */
  static int number(String property, int otherwise) {
    String value = System.getProperty(property);
    return value == null || value.isBlank() ? otherwise : Integer.parseInt(value.strip());
  }
}
