package dev.ward.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * psql through a Ward connection (database {@code shop} unless named, TLS required, the grant as
 * password): one-shot runs of {@code -c} statements, or an interactive session fed statement by
 * statement. Errors print with their SQLSTATE ({@code VERBOSITY=verbose}).
 */
final class Psql {

  /** What a one-shot run printed and its exit status. */
  record Run(int status, String out) {}

  private final Process process;
  private final OutputStream stdin;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Thread reader;

  private Psql(Process process) {
    this.process = process;
    this.stdin = process.getOutputStream();
    this.reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(
                              process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                      lines.add(line);
                    }
                  } catch (IOException e) {
                    // the session ended; what was read is what counts
                  }
                });
  }

  private static ProcessBuilder builder(
      int port, String database, String grant, List<String> extra) {
    List<String> cmd =
        new ArrayList<>(List.of("psql", "-X", "-A", "-t", "-v", "VERBOSITY=verbose"));
    cmd.addAll(extra);
    cmd.add("host=127.0.0.1 port=" + port + " dbname=" + database + " user=ada sslmode=require");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("PGPASSWORD", grant);
    pb.environment().put("PGCONNECT_TIMEOUT", "10");
    return pb;
  }

  /** Runs the statements on database {@code shop}, one {@code -c} each; waits for psql to exit. */
  static Run commands(int port, String grant, List<String> sql) throws Exception {
    return commands(port, "shop", grant, sql);
  }

  /** Runs the statements, one {@code -c} each, and waits for psql to exit. */
  static Run commands(int port, String database, String grant, List<String> sql) throws Exception {
    List<String> extra = new ArrayList<>();
    for (String s : sql) {
      extra.add("-c");
      extra.add(s);
    }
    Process p = builder(port, database, grant, extra).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out);
  }

  /** Starts an interactive session on database {@code shop}. */
  static Psql open(String grant, int port) throws IOException {
    return open(grant, port, "shop");
  }

  /** Starts an interactive session. */
  static Psql open(String grant, int port, String database) throws IOException {
    return new Psql(builder(port, database, grant, List.of()).start());
  }

  /**
   * Sends a one-row, one-column query and returns the row once psql printed it; for {@code SELECT
   * 'text'} the row must be that text.
   */
  String answer(String sql) throws IOException {
    int before = lines.size();
    stdin.write((sql + ";\n").getBytes(StandardCharsets.UTF_8));
    stdin.flush();
    String literal = sql.matches("^SELECT '[^']*'$") ? sql.substring(8, sql.length() - 1) : null;
    String[] row = new String[1];
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              // a copy: a sublist of the live list breaks when psql prints another line meanwhile
              List<String> snapshot = List.copyOf(lines);
              List<String> fresh = snapshot.subList(before, snapshot.size());
              assertThat(fresh).as("%s", lines).isNotEmpty();
              row[0] = fresh.get(0);
              if (literal != null) {
                assertThat(row[0]).isEqualTo(literal);
              }
            });
    return row[0];
  }

  /** Sends a statement without waiting for its answer (the session may be gone). */
  void send(String sql) {
    try {
      stdin.write((sql + ";\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
    } catch (IOException e) {
      // psql already exited
    }
  }

  /** Whether psql exited within the time; if so, everything it printed is in {@link #output()}. */
  boolean ended(Duration within) throws InterruptedException {
    if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
      return false;
    }
    reader.join(Duration.ofSeconds(10));
    return true;
  }

  List<String> output() {
    return lines;
  }

  /** Ends the session (end of input) and expects psql to exit cleanly. */
  void close() throws Exception {
    stdin.close();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("%s", lines).isZero();
  }
}
