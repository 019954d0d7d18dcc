package dev.ward.agent;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** One line per log record on stderr: time, level, logger, message. */
final class LogFormat extends Formatter {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  static void install() {
    LogManager.getLogManager().reset();
    Logger root = Logger.getLogger("");
    ConsoleHandler handler = new ConsoleHandler();
    handler.setFormatter(new LogFormat());
    root.addHandler(handler);
    String level = System.getenv().getOrDefault("WARD_AGENT_LOG_LEVEL", "INFO");
    try {
      root.setLevel(Level.parse(level));
    } catch (IllegalArgumentException e) {
      root.setLevel(Level.INFO);
    }
    Logger.getLogger("io.netty").setLevel(Level.WARNING);
    Logger.getLogger("io.grpc").setLevel(Level.WARNING);
  }

  @Override
  public String format(LogRecord r) {
    String logger = r.getLoggerName() == null ? "" : r.getLoggerName();
    int dot = logger.lastIndexOf('.');
    StringBuilder line =
        new StringBuilder()
            .append(LocalTime.now().format(TIME))
            .append(' ')
            .append(String.format("%-7s", r.getLevel().getName()))
            .append(" [")
            .append(dot >= 0 ? logger.substring(dot + 1) : logger)
            .append("] ")
            .append(formatMessage(r))
            .append('\n');
    if (r.getThrown() != null) {
      line.append("  ").append(r.getThrown()).append('\n');
    }
    return line.toString();
  }
}
