package dev.ward.cli;

import dev.ward.recording.RecordingFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A session's recording as the control plane's download serves it: a zip of one folder holding the
 * segments, the manifest and {@code agent-keys.txt}. Unpacks only those names, flat into one
 * folder, each bounded by the format's limits, so a hostile archive cannot write elsewhere or fill
 * the disk.
 */
final class SessionBundle {

  static final String KEYS_FILE = "agent-keys.txt";
  private static final int MAX_KEYS_BYTES = 64 << 10;
  private static final int MAX_ENTRIES = 1_000_000;

  private SessionBundle() {}

  /** Unpacks the archive into {@code dir}; returns how many files it wrote. */
  static int unpack(Path zip, Path dir) throws IOException {
    int count = 0;
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        if (e.isDirectory()) {
          continue;
        }
        String name = e.getName().substring(e.getName().lastIndexOf('/') + 1);
        int max = limit(name);
        if (max < 0) {
          continue;
        }
        if (++count > MAX_ENTRIES) {
          throw new IOException("the archive holds too many files");
        }
        byte[] bytes = read(in, max, name);
        Files.write(dir.resolve(name), bytes);
      }
    }
    return count;
  }

  private static int limit(String name) {
    if (name.equals(KEYS_FILE)) {
      return MAX_KEYS_BYTES;
    }
    if (name.equals(RecordingFormat.MANIFEST_NAME)) {
      return RecordingFormat.MAX_MANIFEST_BYTES;
    }
    return RecordingFormat.segmentIndexOf(name) > 0 ? RecordingFormat.MAX_SEGMENT_BYTES : -1;
  }

  private static byte[] read(InputStream in, int max, String name) throws IOException {
    byte[] bytes = in.readNBytes(max + 1);
    if (bytes.length > max) {
      throw new IOException(name + " in the archive is larger than " + max + " bytes");
    }
    return bytes;
  }
}
