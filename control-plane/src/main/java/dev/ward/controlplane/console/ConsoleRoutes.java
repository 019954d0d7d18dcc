package dev.ward.controlplane.console;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Serves the web console, whose files the {@code ward-web-console} jar carries under {@code
 * META-INF/resources/console} (Quarkus serves those as static files). The console's own addresses
 * ({@code /console/}, {@code /console/sessions/…}: routes of the single-page app, not files) answer
 * its {@code index.html}, so deep links and reloads work, and never from a cache, since the page
 * names the current build's assets.
 */
@ApplicationScoped
public class ConsoleRoutes {

  static final String BASE = "/console";
  private static final String INDEX = "META-INF/resources/console/index.html";

  /** A console address without a dot in it: a page of the app, not one of its files. */
  private static final String PAGE = "/console(/[^.]*)?";

  private volatile Buffer index;

  void install(@Observes Router router) {
    router.route(HttpMethod.GET, "/").order(-100).handler(ctx -> ctx.redirect(BASE + "/"));
    router.routeWithRegex(HttpMethod.GET, PAGE).order(-100).handler(this::page);
  }

  private void page(RoutingContext ctx) {
    if (ctx.normalizedPath().equals(BASE)) {
      ctx.redirect(BASE + "/");
      return;
    }
    Buffer page = index();
    if (page == null) {
      ctx.next();
      return;
    }
    ctx.response()
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .end(page);
  }

  private Buffer index() {
    Buffer page = index;
    if (page == null) {
      try (InputStream in =
          Thread.currentThread().getContextClassLoader().getResourceAsStream(INDEX)) {
        if (in == null) {
          return null; // a control plane built without the console: the pages answer 404
        }
        page = Buffer.buffer(in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      index = page;
    }
    return page;
  }
}
