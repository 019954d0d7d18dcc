package dev.ward.agent.protocol.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HibernateThroughWardTest {

  /** A tiny entity, enough to exercise Hibernate's inserts, queries and updates. */
  @Entity(name = "Customer")
  public static class Customer {
    @Id @GeneratedValue Long id;
    String name;
    int visits;

    public Customer() {}

    Customer(String name) {
      this.name = name;
    }
  }

  static ProxyHarness ward;
  static SessionFactory sessions;

  @BeforeAll
  static void start() throws Exception {
    ward = ProxyHarness.start();
    Configuration config = new Configuration().addAnnotatedClass(Customer.class);
    config.setProperty("hibernate.connection.url", ward.jdbcUrl());
    config.setProperty("hibernate.connection.username", "alice");
    config.setProperty("hibernate.connection.password", ward.grant());
    config.setProperty("hibernate.connection.sslmode", "verify-full");
    config.setProperty("hibernate.connection.sslrootcert", ward.caFile.toString());
    config.setProperty("hibernate.hbm2ddl.auto", "create-drop");
    config.setProperty("hibernate.connection.pool_size", "2");
    sessions = config.buildSessionFactory();
  }

  @AfterAll
  static void stop() throws Exception {
    if (sessions != null) {
      sessions.close();
    }
    ward.close();
  }

  @Test
  void persistQueryAndUpdateInATransaction() {
    sessions.inTransaction(
        s -> {
          s.persist(new Customer("Ada"));
          s.persist(new Customer("Grace"));
        });
    sessions.inTransaction(
        s -> {
          List<Customer> found =
              s.createSelectionQuery("from Customer where name = :n", Customer.class)
                  .setParameter("n", "Grace")
                  .getResultList();
          assertThat(found).hasSize(1);
          found.get(0).visits = 3;
        });
    int visits =
        sessions.fromTransaction(
            s ->
                s.createSelectionQuery("from Customer where name = 'Grace'", Customer.class)
                    .getSingleResult()
                    .visits);
    assertThat(visits).isEqualTo(3);
    assertThat(ward.recorder.statements())
        .anySatisfy(st -> assertThat(st.getText()).startsWith("update Customer"));
  }
}
