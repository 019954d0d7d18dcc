package dev.ward.agent.protocol.postgres;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** A PostgreSQL client on a bare socket, for sending what real clients never would. */
final class RawClient implements AutoCloseable {

  /** One backend message. */
  record Message(char type, byte[] body) {
    String field(char code) {
      int pos = 0;
      while (pos < body.length && body[pos] != 0) {
        char f = (char) body[pos++];
        int end = pos;
        while (body[end] != 0) {
          end++;
        }
        if (f == code) {
          return new String(body, pos, end - pos, StandardCharsets.UTF_8);
        }
        pos = end + 1;
      }
      return null;
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  RawClient(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(15_000);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  RawClient send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  int readByte() throws IOException {
    return in.readUnsignedByte();
  }

  Message read() throws IOException {
    char type = (char) in.readUnsignedByte();
    int length = in.readInt();
    byte[] body = new byte[length - 4];
    in.readFully(body);
    return new Message(type, body);
  }

  /** Reads until an ErrorResponse and returns it. */
  Message readError() throws IOException {
    Message m;
    do {
      m = read();
    } while (m.type() != 'E');
    return m;
  }

  /** Whether the agent closed the connection (EOF) within the socket timeout. */
  boolean closedByPeer() throws IOException {
    try {
      while (in.read() >= 0) {
        // drain whatever is left
      }
      return true;
    } catch (EOFException e) {
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  /** Signs in with a grant over plaintext and reads up to the first ReadyForQuery. */
  RawClient login(String grant) throws IOException {
    send(startup("alice", "shop"));
    Message auth = read();
    if (auth.type() != 'R') {
      throw new IOException("expected an authentication request, got " + auth.type());
    }
    send(typed('p', cstring(grant)));
    Message m;
    do {
      m = read();
      if (m.type() == 'E') {
        throw new IOException("login refused: " + m.field('M'));
      }
    } while (m.type() != 'Z');
    return this;
  }

  static byte[] startup(String user, String database) {
    byte[] params =
        concat(
            cstring("user"), cstring(user), cstring("database"), cstring(database), new byte[] {0});
    return ByteBuffer.allocate(8 + params.length)
        .putInt(8 + params.length)
        .putInt(196608)
        .put(params)
        .array();
  }

  static byte[] typed(char type, byte[] body) {
    return ByteBuffer.allocate(5 + body.length)
        .put((byte) type)
        .putInt(4 + body.length)
        .put(body)
        .array();
  }

  static byte[] cstring(String s) {
    return concat(s.getBytes(StandardCharsets.UTF_8), new byte[] {0});
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    ByteBuffer b = ByteBuffer.allocate(n);
    for (byte[] p : parts) {
      b.put(p);
    }
    return b.array();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
