package dev.ward.agent.protocol.postgres;

import dev.ward.agent.protocol.MaskedCells;
import dev.ward.agent.protocol.MaskingTally;
import dev.ward.agent.protocol.ResultColumn;
import dev.ward.agent.protocol.RowRewriter;
import dev.ward.agent.protocol.Verdict;
import dev.ward.proto.recording.v1.Column;
import dev.ward.proto.recording.v1.Statement;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Pairs what a client asked with what the upstream answered, so each executed statement becomes one
 * {@link Statement} record: text, parameters, columns, rows, tag, error, timing, transaction
 * status. PostgreSQL answers requests strictly in order, so a queue of outstanding requests is
 * enough, even for pipelined extended-query traffic. Runs on the session's event loop only.
 */
final class StatementTracker {

  /** A request whose answer is still outstanding. */
  enum Kind {
    QUERY,
    PARSE,
    BIND,
    DESCRIBE_STATEMENT,
    DESCRIBE_PORTAL,
    EXECUTE,
    CLOSE,
    SYNC,
    FUNCTION_CALL,
    /** Messages the agent answers itself once everything before them was answered. */
    SYNTHETIC
  }

  private static final class Pending {
    final Kind kind;
    final String name;
    Statement.Builder statement;
    long started;
    List<ResultColumn> columns;
    RowRewriter rewriter;

    /** Every rewriter of the statement's result sets (a simple query may have several). */
    List<RowRewriter> rewriters;

    long rows;
    StringBuilder tags;
    boolean swallow;
    List<Buffer> synthetic;
    boolean syntheticReady;
    Verdict refusal;

    Pending(Kind kind, String name) {
      this.kind = kind;
      this.name = name;
    }
  }

  /**
   * A statement ready to be recorded.
   *
   * @param statement the statement event, with its transaction status set
   * @param masked what masking changed in its results, per rule, column and strategy
   * @param refusal the policy's verdict when the agent refused it, else null
   */
  record Finished(Statement.Builder statement, List<MaskedCells> masked, Verdict refusal) {}

  private record Prepared(String text, int[] parameterTypes, List<ResultColumn> columns) {}

  private record Portal(
      String statementName, String text, List<String> parameters, List<ResultColumn> columns) {}

  static final int MAX_TEXT = 256 * 1024;
  static final int MAX_PARAMETER = 1024;
  static final int MAX_PARAMETERS = 256;
  private static final int MAX_PREPARED = 10_000;
  private static final int MAX_PORTALS = 1_000;
  private static final int MAX_AWAITING = 1_000;

  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private final Map<String, Prepared> prepared = bounded(MAX_PREPARED);
  private final Map<String, Portal> portals = bounded(MAX_PORTALS);
  private final List<Finished> awaitingReady = new ArrayList<>();
  private final Consumer<Finished> recorder;
  private final Consumer<Buffer> toClient;
  private final Function<List<ResultColumn>, RowRewriter> rewriters;
  private Charset charset = StandardCharsets.UTF_8;
  private TableNames.Lookup tables = TableNames.Lookup.NONE;
  private char transactionStatus = 'I';
  private long statements;

  /**
   * @param recorder receives each finished statement
   * @param toClient where the agent's own answers go, in order with the upstream's
   * @param rewriters the policy's row rewriter for a result's columns (null: rows pass as they are)
   */
  StatementTracker(
      Consumer<Finished> recorder,
      Consumer<Buffer> toClient,
      Function<List<ResultColumn>, RowRewriter> rewriters) {
    this.recorder = recorder;
    this.toClient = toClient;
    this.rewriters = rewriters;
  }

  Charset charset() {
    return charset;
  }

  /** Where RowDescriptions' table OIDs are named (see {@link TableNames}). */
  void tables(TableNames.Lookup tables) {
    this.tables = tables;
  }

  void charset(Charset charset) {
    this.charset = charset;
  }

  char transactionStatus() {
    return transactionStatus;
  }

  long statementCount() {
    return statements;
  }

  // ---- what the client sent ----

  void query(String text, int bytes) {
    Pending p = new Pending(Kind.QUERY, "");
    p.statement = statement(text, "simple").setBytesIn(bytes);
    p.started = System.nanoTime();
    p.tags = new StringBuilder();
    pending.add(p);
  }

  void parse(String name, String text, int[] parameterTypes) {
    prepared.put(name, new Prepared(text, parameterTypes, null));
    pending.add(new Pending(Kind.PARSE, name));
  }

  void bind(String portal, String statementName, List<String> parameters, short[] formats) {
    Prepared p = prepared.get(statementName);
    List<ResultColumn> columns =
        p == null || p.columns() == null ? null : RowDescription.withFormats(p.columns(), formats);
    portals.put(portal, new Portal(statementName, p == null ? "" : p.text(), parameters, columns));
    pending.add(new Pending(Kind.BIND, portal));
  }

  /**
   * A Describe of a statement ({@code 'S'}) or portal ({@code 'P'}).
   *
   * @param swallow the agent asked itself; the answer is not for the client
   */
  void describe(char kind, String name, boolean swallow) {
    Pending p = new Pending(kind == 'S' ? Kind.DESCRIBE_STATEMENT : Kind.DESCRIBE_PORTAL, name);
    p.swallow = swallow;
    pending.add(p);
  }

  /** The parameter type OIDs a statement was parsed with (0 where the server infers them). */
  int[] parameterTypes(String statementName) {
    Prepared p = prepared.get(statementName);
    return p == null ? new int[0] : p.parameterTypes();
  }

  /** What a portal was bound with, as policy sees it. */
  record BoundPortal(String statementName, String text, List<String> parameters) {}

  /** The statement name, text and parameters a portal was bound with, or null when unknown. */
  BoundPortal boundPortal(String portal) {
    Portal p = portals.get(portal);
    return p == null ? null : new BoundPortal(p.statementName(), p.text(), p.parameters());
  }

  /** Whether the columns of a portal are known (from a Describe or its statement). */
  boolean knowsColumns(String portal) {
    Portal p = portals.get(portal);
    return p != null && p.columns() != null;
  }

  void execute(String portal, int bytes) {
    Portal p = portals.get(portal);
    Pending e = new Pending(Kind.EXECUTE, portal);
    e.statement =
        statement(p == null ? "" : p.text(), "extended")
            .setPortalName(portal)
            .setStatementName(p == null ? "" : p.statementName())
            .setBytesIn(bytes);
    if (p != null) {
      e.statement.addAllParameters(p.parameters());
      setColumns(e, p.columns());
    }
    e.started = System.nanoTime();
    pending.add(e);
  }

  void close(char kind, String name) {
    if (kind == 'S') {
      prepared.remove(name);
    } else {
      portals.remove(name);
    }
    pending.add(new Pending(Kind.CLOSE, name));
  }

  void sync() {
    pending.add(new Pending(Kind.SYNC, ""));
  }

  void functionCall(int functionOid, int bytes) {
    Pending p = new Pending(Kind.FUNCTION_CALL, "");
    p.statement = statement("function " + functionOid, "function-call").setBytesIn(bytes);
    p.started = System.nanoTime();
    pending.add(p);
  }

  /** Copy data from the client belongs to the statement running COPY FROM STDIN. */
  void copyFromClient(int bytes) {
    Pending head = pending.peek();
    if (head != null && head.statement != null) {
      head.statement.setBytesIn(head.statement.getBytesIn() + bytes);
    }
  }

  /**
   * A statement the agent refused: the error goes to the client once every earlier request was
   * answered, and the statement is recorded as blocked, with the verdict.
   *
   * @param readyForQuery also answer ReadyForQuery (simple query); extended query waits for Sync
   */
  void refused(Statement.Builder statement, Verdict verdict, Buffer error, boolean readyForQuery) {
    statement.setBlocked(true);
    Pending p = new Pending(Kind.SYNTHETIC, "");
    p.synthetic = List.of(error);
    p.syntheticReady = readyForQuery;
    p.refusal = verdict;
    if (readyForQuery) {
      p.statement = statement;
    } else {
      awaitingReady.add(new Finished(statement, List.of(), verdict));
    }
    pending.add(p);
    flushSynthetic();
  }

  /** A statement record with the fields every mode shares. */
  Statement.Builder statement(String text, String mode) {
    return Statement.newBuilder().setText(bounded(text, MAX_TEXT)).setProtocolMode(mode);
  }

  // ---- what the upstream answered ----

  /** Rows of each statement kept in its recording, as the client saw them (masked). */
  static final int SAMPLE_ROWS = 3;

  /** Longest value of a sample row; longer ones are cut. */
  static final int SAMPLE_VALUE_CHARS = 256;

  /**
   * Keeps a row, as it goes to the client, in the statement's sample: only the first {@link
   * #SAMPLE_ROWS} rows, and only rows policy has seen (so they are masked); binary values by size.
   */
  void sample(Buffer row) {
    Pending head = pending.peek();
    if (head == null
        || head.statement == null
        || head.rewriter == null
        || head.columns == null
        || head.statement.getSampleRowsCount() >= SAMPLE_ROWS) {
      return;
    }
    DataRowValues values = DataRowValues.decode(row, charset);
    dev.ward.proto.recording.v1.Row.Builder out = dev.ward.proto.recording.v1.Row.newBuilder();
    for (int i = 0; i < values.size(); i++) {
      boolean binary = i < head.columns.size() && head.columns.get(i).binary();
      if (values.isNull(i)) {
        out.addValues("").addNulls(true);
      } else if (binary) {
        out.addValues("[" + values.bytes(i).length + " bytes]").addNulls(false);
      } else {
        String v = values.text(i);
        out.addValues(
                v.length() > SAMPLE_VALUE_CHARS ? v.substring(0, SAMPLE_VALUE_CHARS) + "…" : v)
            .addNulls(false);
      }
    }
    head.statement.addSampleRows(out);
  }

  /** The rewriter for the rows arriving now, or null when they pass unchanged. */
  RowRewriter currentRewriter() {
    Pending head = pending.peek();
    return head == null ? null : head.rewriter;
  }

  /**
   * Notes one upstream message.
   *
   * @return whether to pass it to the client (false for answers to the agent's own requests)
   */
  boolean onBackend(byte type, Buffer message) {
    Pending head = pending.peek();
    if (head != null && head.statement != null) {
      head.statement.setBytesOut(head.statement.getBytesOut() + message.length());
    }
    switch (type) {
      case 'D' -> {
        if (head != null) {
          head.rows++;
        }
      }
      case '1', '2', '3' -> pop();
      case 'T' -> {
        return rowDescription(head, message);
      }
      case 'n' -> {
        if (head != null
            && (head.kind == Kind.DESCRIBE_PORTAL || head.kind == Kind.DESCRIBE_STATEMENT)) {
          if (head.kind == Kind.DESCRIBE_STATEMENT) {
            Prepared p = prepared.get(head.name);
            if (p != null) {
              prepared.put(head.name, new Prepared(p.text(), p.parameterTypes(), List.of()));
            }
          } else {
            updatePortalColumns(head.name, List.of());
          }
          pop();
          return !head.swallow;
        }
      }
      case 'C' -> commandComplete(head, Wire.string(message, 5, charset));
      case 's' -> {
        if (head != null && head.kind == Kind.EXECUTE) {
          finish(head, "");
          pop();
        }
      }
      case 'I' -> {
        if (head != null && head.kind == Kind.EXECUTE) {
          finish(head, "");
          pop();
        }
      }
      case 'E' -> error(head, ServerError.parse(message, charset));
      case 'G' -> mode(head, "copy-in");
      case 'H' -> mode(head, "copy-out");
      case 'Z' -> readyForQuery((char) message.getByte(5));
      default -> {}
    }
    return true;
  }

  /** Emits the agent's own answers that are now due; call after passing on each message. */
  void flushSynthetic() {
    Pending head;
    while ((head = pending.peek()) != null && head.kind == Kind.SYNTHETIC) {
      pending.poll();
      head.synthetic.forEach(toClient);
      if (head.syntheticReady) {
        toClient.accept(BackendMessages.readyForQuery(transactionStatus));
        if (head.statement != null) {
          head.statement.setTransactionStatus(String.valueOf(transactionStatus));
          emit(new Finished(head.statement, List.of(), head.refusal));
        }
      }
    }
  }

  private boolean rowDescription(Pending head, Buffer message) {
    if (head == null) {
      return true;
    }
    List<ResultColumn> columns = RowDescription.parse(message, charset, tables);
    switch (head.kind) {
      case DESCRIBE_STATEMENT -> {
        Prepared p = prepared.get(head.name);
        if (p != null) {
          prepared.put(head.name, new Prepared(p.text(), p.parameterTypes(), columns));
        }
        pop();
        return !head.swallow;
      }
      case DESCRIBE_PORTAL -> {
        updatePortalColumns(head.name, columns);
        pop();
        return !head.swallow;
      }
      case QUERY -> setColumns(head, columns);
      default -> {}
    }
    return true;
  }

  private void updatePortalColumns(String name, List<ResultColumn> columns) {
    Portal p = portals.get(name);
    if (p != null) {
      portals.put(name, new Portal(p.statementName(), p.text(), p.parameters(), columns));
      // later Binds of the same statement without a Describe get the columns from it
      Prepared s = prepared.get(p.statementName());
      if (s != null && s.columns() == null) {
        prepared.put(p.statementName(), new Prepared(s.text(), s.parameterTypes(), columns));
      }
    }
    // an Execute of this portal may already be queued behind the Describe
    for (Pending q : pending) {
      if (q.kind == Kind.EXECUTE && q.name.equals(name) && q.columns == null) {
        setColumns(q, columns);
        break;
      }
    }
  }

  private void setColumns(Pending p, List<ResultColumn> columns) {
    p.columns = columns;
    if (columns == null) {
      return;
    }
    p.statement.clearColumns();
    for (ResultColumn c : columns) {
      p.statement.addColumns(
          Column.newBuilder()
              .setName(c.name())
              .setTypeOid(c.typeOid())
              .setFormat(c.binary() ? 1 : 0));
    }
    p.rewriter = columns.isEmpty() ? null : rewriters.apply(columns);
    if (p.rewriter != null) {
      if (p.rewriters == null) {
        p.rewriters = new ArrayList<>(1);
      }
      p.rewriters.add(p.rewriter);
    }
  }

  private void commandComplete(Pending head, String tag) {
    if (head == null) {
      return;
    }
    if (head.kind == Kind.EXECUTE) {
      finish(head, tag);
      pop();
    } else if (head.kind == Kind.QUERY || head.kind == Kind.FUNCTION_CALL) {
      if (head.tags != null) {
        if (!head.tags.isEmpty()) {
          head.tags.append("; ");
        }
        head.tags.append(tag);
      }
      head.rewriter = null;
    }
  }

  private void error(Pending head, ServerError error) {
    if (head == null) {
      return;
    }
    switch (head.kind) {
      case QUERY, FUNCTION_CALL -> {
        head.statement.setSqlstate(error.sqlstate()).setErrorMessage(error.message());
        return;
      }
      case PARSE -> {
        Prepared p = prepared.remove(head.name);
        head.statement =
            statement(p == null ? "" : p.text(), "extended").setStatementName(head.name);
        head.started = System.nanoTime();
        head.statement.setSqlstate(error.sqlstate()).setErrorMessage(error.message());
        finish(head, "");
      }
      case BIND -> {
        // planning happens at Bind for unnamed statements, so errors like 1/0 surface here
        Portal portal = portals.remove(head.name);
        head.statement =
            statement(portal == null ? "" : portal.text(), "extended")
                .setPortalName(head.name)
                .setStatementName(portal == null ? "" : portal.statementName());
        if (portal != null) {
          head.statement.addAllParameters(portal.parameters());
        }
        head.started = System.nanoTime();
        head.statement.setSqlstate(error.sqlstate()).setErrorMessage(error.message());
        finish(head, "");
      }
      case EXECUTE -> {
        head.statement.setSqlstate(error.sqlstate()).setErrorMessage(error.message());
        finish(head, "");
      }
      default -> {}
    }
    // the upstream skips everything up to the next Sync, so those requests get no answer; a
    // refusal of the agent's own among them is dropped too, as the upstream's error speaks for it
    while ((head = pending.peek()) != null
        && head.kind != Kind.SYNC
        && head.kind != Kind.QUERY
        && !(head.kind == Kind.SYNTHETIC && head.syntheticReady)) {
      pending.poll();
    }
  }

  private void mode(Pending head, String mode) {
    if (head != null && head.statement != null) {
      head.statement.setProtocolMode(mode);
    }
  }

  private void readyForQuery(char status) {
    transactionStatus = status;
    Pending head;
    while ((head = pending.poll()) != null) {
      if (head.kind == Kind.QUERY || head.kind == Kind.FUNCTION_CALL) {
        finish(head, head.tags == null ? "" : head.tags.toString());
        break;
      }
      if (head.kind == Kind.SYNC) {
        break;
      }
    }
    for (Finished f : awaitingReady) {
      f.statement().setTransactionStatus(String.valueOf(status));
      emit(f);
    }
    awaitingReady.clear();
  }

  private void finish(Pending p, String tag) {
    Statement.Builder s = p.statement;
    if (s == null) {
      return;
    }
    s.setCommandTag(tag).setRowCount(p.rows).setDurationNanos(System.nanoTime() - p.started);
    p.statement = null;
    awaitingReady.add(new Finished(s, masked(p), null));
    if (awaitingReady.size() >= MAX_AWAITING) {
      for (Finished f : awaitingReady) {
        f.statement().setTransactionStatus(String.valueOf(transactionStatus));
        emit(f);
      }
      awaitingReady.clear();
    }
  }

  private static List<MaskedCells> masked(Pending p) {
    if (p.rewriters == null) {
      return List.of();
    }
    if (p.rewriters.size() == 1) {
      return p.rewriters.get(0).masked();
    }
    MaskingTally tally = new MaskingTally();
    p.rewriters.forEach(r -> tally.addAll(r.masked()));
    return tally.entries();
  }

  private void emit(Finished f) {
    statements++;
    recorder.accept(f);
  }

  private void pop() {
    pending.poll();
  }

  static String bounded(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    return text.substring(0, max) + " …[" + (text.length() - max) + " more characters]";
  }

  private static <V> Map<String, V> bounded(int max) {
    return new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > max;
      }
    };
  }
}
