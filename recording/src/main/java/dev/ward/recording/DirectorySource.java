package dev.ward.recording;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** A recorded session stored as files in one folder, as downloaded from object storage. */
public final class DirectorySource implements RecordingSource {

  private final Path dir;

  public DirectorySource(Path dir) {
    this.dir = dir;
  }

  @Override
  public List<String> names() throws IOException {
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.filter(Files::isRegularFile).forEach(p -> names.add(p.getFileName().toString()));
    }
    return names;
  }

  @Override
  public Optional<byte[]> read(String name, int maxBytes) throws IOException {
    Path file = dir.resolve(name);
    if (!file.getParent().equals(dir)) {
      throw new IOException("object name must not contain a path: " + name);
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(maxBytes + 1);
      if (bytes.length > maxBytes) {
        throw new IOException(name + " is larger than " + maxBytes + " bytes");
      }
      return Optional.of(bytes);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }
}
