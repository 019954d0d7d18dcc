package dev.ward.agent.keys;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals the agent's private keys before they touch its data directory: AES-256-GCM under a key
 * derived (HKDF-SHA256, a fresh salt per file) from a secret that does not live in the data
 * directory: the agent token, or a key-encryption key the operating system hands the agent (a
 * systemd credential, a Kubernetes secret mount). A copy of the data directory alone, a backup or a
 * spool shipped for support, therefore holds no usable key.
 *
 * <p>File layout: {@code WARDKEY1} (8 bytes), salt (16), nonce (12), ciphertext with its 16-byte
 * tag. The file's purpose (e.g. {@code recording-signing}) is bound in as associated data, so one
 * sealed file cannot be passed off as another.
 */
public final class KeySeal {

  private static final byte[] MAGIC = "WARDKEY1".getBytes(StandardCharsets.US_ASCII);
  private static final int SALT_BYTES = 16;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final int MAX_FILE_BYTES = 64 << 10;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] secret;
  private final String source;
  private final KeySeal previous;

  private KeySeal(byte[] secret, String source, KeySeal previous) {
    if (secret.length < 16) {
      throw new IllegalArgumentException(
          "the key-encryption secret (" + source + ") must have at least 16 bytes");
    }
    this.secret = secret.clone();
    this.source = source;
    this.previous = previous;
  }

  private KeySeal(byte[] secret, String source) {
    this(secret, source, null);
  }

  /**
   * This seal, falling back to {@code previous} (and to the seals {@code previous} itself falls
   * back to) for files it cannot open: the token before a rotation by reinstall, or the token a
   * newly provided key-encryption key replaces. Such a file is opened with the older secret and
   * sealed again under this one, so the older secret is needed only once.
   */
  public KeySeal withPrevious(KeySeal previous) {
    return new KeySeal(secret, source, previous);
  }

  /** Keys sealed under the agent token (the default: it is what installs the agent). */
  public static KeySeal fromAgentToken(String token) {
    return new KeySeal(token.getBytes(StandardCharsets.UTF_8), "the agent token");
  }

  /** Keys sealed under the bytes of a file the operating system provides (read once, here). */
  public static KeySeal fromFile(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    return new KeySeal(bytes, "key-encryption-key-file " + file);
  }

  /** Whether {@code file} is sealed (rather than an older agent's plaintext key file). */
  public static boolean isSealed(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer head = ByteBuffer.allocate(MAGIC.length);
      while (head.hasRemaining() && ch.read(head) >= 0) {
        // read the magic
      }
      return Arrays.equals(head.array(), MAGIC);
    }
  }

  /** Seals {@code plain} for {@code purpose}. */
  public byte[] seal(String purpose, byte[] plain) {
    byte[] salt = random(SALT_BYTES);
    byte[] nonce = random(NONCE_BYTES);
    try {
      Cipher aes = cipher(Cipher.ENCRYPT_MODE, purpose, salt, nonce);
      byte[] sealed = aes.doFinal(plain);
      return ByteBuffer.allocate(MAGIC.length + SALT_BYTES + NONCE_BYTES + sealed.length)
          .put(MAGIC)
          .put(salt)
          .put(nonce)
          .put(sealed)
          .array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JDK", e);
    }
  }

  /** Opens what {@link #seal} made for the same purpose under the same secret. */
  public byte[] open(String purpose, byte[] sealed) throws IOException {
    int header = MAGIC.length + SALT_BYTES + NONCE_BYTES;
    if (sealed.length < header + TAG_BITS / 8
        || !Arrays.equals(Arrays.copyOf(sealed, MAGIC.length), MAGIC)) {
      throw new IOException("not a sealed Ward key");
    }
    byte[] salt = Arrays.copyOfRange(sealed, MAGIC.length, MAGIC.length + SALT_BYTES);
    byte[] nonce = Arrays.copyOfRange(sealed, MAGIC.length + SALT_BYTES, header);
    try {
      return cipher(Cipher.DECRYPT_MODE, purpose, salt, nonce)
          .doFinal(sealed, header, sealed.length - header);
    } catch (javax.crypto.AEADBadTagException e) {
      throw new IOException(
          "cannot be opened with "
              + source
              + ": the agent was installed with another token or key-encryption key, or the file"
              + " was changed",
          e);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot be opened: " + e.getMessage(), e);
    }
  }

  /** Writes {@code plain} sealed to {@code file}: 0600, fsync'd, renamed into place. */
  public void write(Path file, String purpose, byte[] plain) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(
        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(seal(purpose, plain));
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // not every file system lets a directory be synced; the rename is still atomic
    }
  }

  /** Reads and opens a file {@link #write} made; the message names the file when it cannot. */
  public byte[] read(Path file, String purpose) throws IOException {
    if (Files.size(file) > MAX_FILE_BYTES) {
      throw new IOException(file + " is too large to be a sealed Ward key");
    }
    byte[] sealed = Files.readAllBytes(file);
    try {
      return open(purpose, sealed);
    } catch (IOException e) {
      StringBuilder tried = new StringBuilder();
      for (KeySeal older = previous; older != null; older = older.previous) {
        try {
          byte[] plain = older.open(purpose, sealed);
          write(file, purpose, plain);
          return plain;
        } catch (IOException ignored) {
          tried.append(tried.isEmpty() ? " (nor with " : ", nor with ").append(older.source);
        }
      }
      throw new IOException(file + " " + e.getMessage() + (tried.isEmpty() ? "" : tried + ")"), e);
    }
  }

  private Cipher cipher(int mode, String purpose, byte[] salt, byte[] nonce)
      throws GeneralSecurityException {
    byte[] info = ("ward-agent key seal v1 " + purpose).getBytes(StandardCharsets.UTF_8);
    Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
    aes.init(
        mode,
        new SecretKeySpec(hkdf(secret, salt, info), "AES"),
        new GCMParameterSpec(TAG_BITS, nonce));
    aes.updateAAD(MAGIC);
    aes.updateAAD(info);
    return aes;
  }

  /** HKDF-SHA256 (RFC 5869) for one 32-byte output block. */
  static byte[] hkdf(byte[] ikm, byte[] salt, byte[] info) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(salt, "HmacSHA256"));
    byte[] prk = mac.doFinal(ikm);
    mac.init(new SecretKeySpec(prk, "HmacSHA256"));
    mac.update(info);
    mac.update((byte) 1);
    return mac.doFinal();
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  @Override
  public String toString() {
    return "KeySeal[" + source + "]";
  }
}
