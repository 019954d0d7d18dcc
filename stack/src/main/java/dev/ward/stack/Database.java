package dev.ward.stack;

/**
 * A PostgreSQL database the control plane can use.
 *
 * @param host where the server listens
 * @param port its port
 * @param name the database
 * @param user a user that owns it
 * @param password that user's password (empty for trust)
 */
public record Database(String host, int port, String name, String user, String password) {

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + name;
  }
}
