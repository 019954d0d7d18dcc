package dev.ward.controlplane.agent.channel;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: a replica that does not hear config changes would leave its agents on old config, so
 * it is not ready until it LISTENs.
 */
@Readiness
@ApplicationScoped
public class ConfigNotificationsHealth implements HealthCheck {

  private final ConfigNotifications notifications;

  public ConfigNotificationsHealth(ConfigNotifications notifications) {
    this.notifications = notifications;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("config-notifications")
        .status(notifications.listening())
        .build();
  }
}
