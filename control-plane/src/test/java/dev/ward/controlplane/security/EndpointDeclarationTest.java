package dev.ward.controlplane.security;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every REST endpoint says who may call it; none is left to a default. */
class EndpointDeclarationTest {

  private static final List<Class<? extends Annotation>> VERBS =
      List.of(GET.class, POST.class, PUT.class, DELETE.class, PATCH.class, HEAD.class);

  @Test
  void everyEndpointDeclaresWhoMayCallIt() throws Exception {
    var classes = java.nio.file.Path.of("target/classes");
    List<String> undeclared = new ArrayList<>();
    int endpoints = 0;
    for (Class<?> type : resourceClasses(classes)) {
      boolean classDeclares = declares(type.getAnnotations());
      for (Method m : type.getDeclaredMethods()) {
        if (VERBS.stream().noneMatch(m::isAnnotationPresent)) {
          continue;
        }
        endpoints++;
        if (!classDeclares && !declares(m.getAnnotations())) {
          undeclared.add(type.getSimpleName() + "." + m.getName());
        }
      }
    }
    assertThat(endpoints).isGreaterThan(30);
    assertThat(undeclared).isEmpty();
  }

  private static boolean declares(Annotation[] annotations) {
    return Stream.of(annotations)
        .anyMatch(a -> a instanceof RolesAllowed || a instanceof PermitAll || a instanceof DenyAll);
  }

  private static List<Class<?>> resourceClasses(java.nio.file.Path root) throws IOException {
    List<Class<?>> found = new ArrayList<>();
    try (Stream<java.nio.file.Path> files = Files.walk(root)) {
      for (java.nio.file.Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
        String name = root.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
        if (name.contains("$")) {
          continue;
        }
        try {
          Class<?> c = Class.forName(name, false, EndpointDeclarationTest.class.getClassLoader());
          if (c.isAnnotationPresent(Path.class)) {
            found.add(c);
          }
        } catch (ClassNotFoundException | NoClassDefFoundError ignored) {
          // not loadable on its own (generated code)
        }
      }
    }
    return found;
  }
}
