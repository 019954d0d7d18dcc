package dev.ward.agent.protocol.postgres;

import dev.ward.agent.protocol.ResultColumn;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The schema, table and column names behind the table OIDs and column numbers of RowDescription
 * messages, for masking rules that name a table ({@code users.email}). A listener keeps one, shared
 * by its sessions: names are looked up in the upstream's catalog over a short-lived side connection
 * with the connection's own credentials, and cached (bounded, for a minute, since a table can be
 * renamed). When the catalog cannot be read the tables count as unresolved for a few seconds, and
 * masking then treats their columns as matching any table, hiding more rather than less.
 */
final class TableNames {

  /** Names as known now; answers without waiting. */
  @FunctionalInterface
  interface Lookup {
    /** Knows nothing: every column goes without its source. */
    Lookup NONE = (tableOid, attribute) -> null;

    /** The source of a column, {@link ResultColumn.Source#UNRESOLVED}, or {@code null}. */
    ResultColumn.Source source(int tableOid, short attribute);
  }

  static final int MAX_TABLES = 4_096;
  static final int MAX_TABLES_PER_LOOKUP = 256;
  static final Duration TTL = Duration.ofMinutes(1);
  static final Duration FAILED_TTL = Duration.ofSeconds(5);

  private static final Logger LOG = System.getLogger(TableNames.class.getName());
  private static final int MAX_CATALOG_ROWS = MAX_TABLES_PER_LOOKUP * 1_700;

  private record Key(String database, int oid) {}

  private record Table(String schema, String name, Map<Short, String> columns, long expiresAt) {}

  private final LongSupplier clock;
  private final Map<Key, Table> cache =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Table> eldest) {
          return size() > MAX_TABLES;
        }
      };

  TableNames() {
    this(System::nanoTime);
  }

  TableNames(LongSupplier clock) {
    this.clock = clock;
  }

  /** What is known of the tables of {@code database}, now. */
  Lookup in(String database) {
    return (tableOid, attribute) -> {
      Table t = get(new Key(database, tableOid));
      if (t == null) {
        return null;
      }
      if (t.name() == null) {
        return ResultColumn.Source.UNRESOLVED;
      }
      return new ResultColumn.Source(t.schema(), t.name(), t.columns().get(attribute));
    };
  }

  /** The OIDs among {@code oids} that have no current entry. */
  Set<Integer> missing(String database, Set<Integer> oids) {
    Set<Integer> out = new TreeSet<>();
    for (int oid : oids) {
      if (get(new Key(database, oid)) == null) {
        out.add(oid);
      }
    }
    return out;
  }

  private synchronized Table get(Key key) {
    Table t = cache.get(key);
    if (t != null && clock.getAsLong() - t.expiresAt() > 0) {
      cache.remove(key);
      return null;
    }
    return t;
  }

  private synchronized void put(Key key, Table table) {
    cache.put(key, table);
  }

  /**
   * Looks the tables up in the catalog and caches what it finds. Never fails: tables it could not
   * look up are cached as unresolved for a short while.
   *
   * @param connect opens a side connection to the upstream database, logged in
   */
  Future<Void> load(
      Vertx vertx,
      String database,
      Set<Integer> oids,
      Supplier<Future<UpstreamLogin.Link>> connect,
      Duration timeout) {
    Set<Integer> wanted = new TreeSet<>();
    for (int oid : oids) {
      if (wanted.size() == MAX_TABLES_PER_LOOKUP) {
        break;
      }
      wanted.add(oid);
    }
    Promise<Map<Integer, Table>> found = Promise.promise();
    long timer =
        vertx.setTimer(
            timeout.toMillis(),
            t -> found.tryFail("the catalog lookup did not finish within " + timeout));
    connect.get().onFailure(found::tryFail).onSuccess(link -> query(link, wanted, found));
    return found
        .future()
        .otherwise(
            e -> {
              LOG.log(
                  Level.WARNING,
                  "Could not look up the names of tables {0} in database {1}; masking rules that"
                      + " name a table apply to their columns: {2}",
                  wanted,
                  database,
                  e.getMessage());
              return Map.of();
            })
        .map(
            tables -> {
              vertx.cancelTimer(timer);
              long now = clock.getAsLong();
              for (int oid : wanted) {
                Table t = tables.get(oid);
                put(
                    new Key(database, oid),
                    t != null
                        ? new Table(t.schema(), t.name(), t.columns(), now + TTL.toNanos())
                        : new Table(null, null, Map.of(), now + FAILED_TTL.toNanos()));
              }
              return null;
            });
  }

  /** Runs the catalog query on a logged-in side connection, then closes it. */
  private static void query(
      UpstreamLogin.Link link, Set<Integer> oids, Promise<Map<Integer, Table>> found) {
    Map<Integer, Table> tables = new HashMap<>();
    int[] rows = {0};
    found.future().onComplete(r -> link.socket().write(FrontendMessages.terminate()));
    found.future().onComplete(r -> link.socket().close());
    MessageFramer.Handler handler =
        (type, message) -> {
          switch (type) {
            case 'D' -> {
              if (++rows[0] > MAX_CATALOG_ROWS) {
                found.tryFail("the catalog answered with too many rows");
                return false;
              }
              catalogRow(message, tables);
            }
            case 'E' ->
                found.tryFail(
                    "the catalog query failed: "
                        + ServerError.parse(message, StandardCharsets.UTF_8).message());
            case 'Z' -> found.tryComplete(tables);
            default -> {}
          }
          return !found.future().isComplete();
        };
    link.socket().exceptionHandler(e -> found.tryFail(e.getMessage()));
    link.socket().closeHandler(v -> found.tryFail("the upstream closed the side connection"));
    link.socket()
        .handler(
            chunk -> {
              try {
                link.framer().feed(chunk, handler);
              } catch (ProtocolViolation e) {
                found.tryFail(e.getMessage());
              }
            });
    link.socket().write(query(oids));
    link.socket().resume();
  }

  static Buffer query(Set<Integer> oids) {
    StringBuilder in = new StringBuilder();
    for (int oid : oids) {
      if (!in.isEmpty()) {
        in.append(',');
      }
      // OIDs are unsigned 32-bit values
      in.append(Integer.toUnsignedString(oid));
    }
    String sql =
        "SELECT c.oid, n.nspname, c.relname, a.attnum, a.attname"
            + " FROM pg_catalog.pg_class c"
            + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            + " LEFT JOIN pg_catalog.pg_attribute a"
            + " ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
            + " WHERE c.oid IN ("
            + in
            + ")";
    byte[] text = sql.getBytes(StandardCharsets.UTF_8);
    return Buffer.buffer(text.length + 6)
        .appendByte((byte) 'Q')
        .appendInt(text.length + 5)
        .appendBytes(text)
        .appendByte((byte) 0);
  }

  private static void catalogRow(Buffer row, Map<Integer, Table> tables) {
    DataRowValues values = DataRowValues.decode(row, StandardCharsets.UTF_8);
    if (values.size() != 5 || values.isNull(0) || values.isNull(1) || values.isNull(2)) {
      return;
    }
    String[] v = new String[5];
    for (int i = 0; i < 5; i++) {
      v[i] = values.isNull(i) ? null : values.text(i);
    }
    int oid = Integer.parseUnsignedInt(v[0]);
    Table t =
        tables.computeIfAbsent(oid, k -> new Table(v[1], v[2], new HashMap<>(), Long.MAX_VALUE));
    if (v[3] != null && v[4] != null) {
      t.columns().put(Short.parseShort(v[3]), v[4]);
    }
  }
}
