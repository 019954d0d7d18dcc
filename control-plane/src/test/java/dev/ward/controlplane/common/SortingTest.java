package dev.ward.controlplane.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ward.controlplane.common.persistence.PageRequest;
import dev.ward.controlplane.common.persistence.Sorting;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class SortingTest {

  private static final Sorting SORTING =
      Sorting.by("name", Map.of("name", "name", "createdAt", "createdAt"));

  @Test
  void theDefaultOrderEndsWithTheIdSoPagesNeverOverlap() {
    assertThat(SORTING.orderBy(null)).isEqualTo("e.name asc, e.id asc");
  }

  @Test
  void aMinusSortsDescendingAndSeveralFieldsAreKept() {
    assertThat(SORTING.orderBy("-createdAt,name"))
        .isEqualTo("e.createdAt desc, e.name asc, e.id asc");
  }

  @Test
  void anUndeclaredFieldCannotReachTheQuery() {
    assertThatThrownBy(() -> SORTING.orderBy("name; drop table tenants"))
        .isInstanceOfSatisfying(
            Problem.class,
            p -> {
              assertThat(p.status()).isEqualTo(400);
              assertThat(p.errors().get(0).field()).isEqualTo("sort");
              assertThat(p.errors().get(0).message()).contains("createdAt", "name");
            });
  }

  @Test
  void pageAndSizeAreBoundedAndNamedWhenWrong() {
    assertThat(PageRequest.of(null, null, null)).isEqualTo(new PageRequest(0, 50, null));
    assertThat(PageRequest.of("2", "10", "-name").offset()).isEqualTo(20);
    assertThatThrownBy(() -> PageRequest.of("-1", null, null))
        .isInstanceOfSatisfying(
            Problem.class, p -> assertThat(p.errors().get(0).field()).isEqualTo("page"));
    assertThatThrownBy(() -> PageRequest.of(null, "201", null))
        .isInstanceOfSatisfying(
            Problem.class, p -> assertThat(p.errors().get(0).field()).isEqualTo("size"));
  }
}
