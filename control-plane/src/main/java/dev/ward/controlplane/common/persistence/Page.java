package dev.ward.controlplane.common.persistence;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a list endpoint's answer: the items, where the page is and how many objects match in
 * all. Every list endpoint of the API answers in this envelope.
 */
public record Page<T>(List<T> items, int page, int size, long total) {

  /** The same page with each item turned into what the API shows. */
  public <R> Page<R> map(Function<? super T, ? extends R> view) {
    return new Page<>(items.stream().<R>map(view).toList(), page, size, total);
  }
}
