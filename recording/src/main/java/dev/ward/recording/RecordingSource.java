package dev.ward.recording;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Where the objects of one recorded session are read from: a folder, a bucket, a test. Names are
 * the object names of the format ({@code seg-000001.wseg}, {@code manifest.wman}).
 */
public interface RecordingSource {

  /** Names of every stored object of the session, in any order. */
  List<String> names() throws IOException;

  /**
   * The bytes of one object, or empty when there is none by that name.
   *
   * @throws IOException also when the object is larger than {@code maxBytes}, before reading it
   */
  Optional<byte[]> read(String name, int maxBytes) throws IOException;
}
