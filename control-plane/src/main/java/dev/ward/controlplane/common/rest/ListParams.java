package dev.ward.controlplane.common.rest;

import dev.ward.controlplane.common.persistence.PageRequest;
import jakarta.ws.rs.QueryParam;

/**
 * The paging query parameters every list endpoint takes: {@code page}, {@code size}, {@code sort}.
 * Read as strings so a malformed value is a 400 naming the parameter rather than JAX-RS's 404.
 */
public class ListParams {

  @QueryParam("page")
  String page;

  @QueryParam("size")
  String size;

  @QueryParam("sort")
  String sort;

  public PageRequest toRequest() {
    return PageRequest.of(page, size, sort);
  }
}
