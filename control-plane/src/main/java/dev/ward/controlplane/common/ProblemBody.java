package dev.ward.controlplane.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The RFC 9457 problem+json document, with Ward's list of field errors for validation. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ProblemBody(
    String type,
    String title,
    int status,
    String detail,
    String instance,
    List<FieldError> errors) {

  /** One invalid input field: where it is and what is wrong with it. */
  public record FieldError(String field, String message) {}
}
