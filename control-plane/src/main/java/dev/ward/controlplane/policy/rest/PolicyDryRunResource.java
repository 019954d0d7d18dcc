package dev.ward.controlplane.policy.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ward.controlplane.common.Problem;
import dev.ward.controlplane.common.ProblemBody.FieldError;
import dev.ward.controlplane.policy.repository.PolicyRepository;
import dev.ward.controlplane.policy.service.PolicyDocumentValidator;
import dev.ward.controlplane.security.Roles;
import dev.ward.policy.PolicyTester;
import dev.ward.policy.guardrails.Decision;
import dev.ward.policy.masking.fields.ColumnInfo;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import java.util.List;
import java.util.UUID;

/**
 * Dry run of a policy: what it would mask in sample text, JSON and rows, and what it would decide
 * on a sample SQL statement. Nothing is saved, enforced or audited.
 */
@Path("/api/v1/policies/test")
public class PolicyDryRunResource {

  private static final int MAX_SAMPLE = 64 * 1024;

  private final PolicyRepository policies;
  private final PolicyDocumentValidator validator;
  private final ObjectMapper json;

  public PolicyDryRunResource(
      PolicyRepository policies, PolicyDocumentValidator validator, ObjectMapper json) {
    this.policies = policies;
    this.validator = validator;
    this.json = json;
  }

  /** Which policy to try (a saved one by id, or a draft document) and on what. */
  public record DryRun(UUID policyId, JsonNode document, @Valid @NotNull Sample sample) {}

  /** The sample; any part may be left out. */
  public record Sample(
      @Size(max = MAX_SAMPLE) String text,
      @Size(max = MAX_SAMPLE) String json,
      @Size(max = 100) List<@Valid @NotNull Column> columns,
      @Size(max = 100) List<@NotNull @Size(max = 100) List<@Size(max = 4096) String>> rows,
      @Size(max = MAX_SAMPLE) String sql,
      boolean readOnly) {}

  /** A result column: its name and PostgreSQL type OID (0 when unknown). */
  public record Column(@NotBlank @Size(max = 63) String name, int typeOid) {}

  /** What the policy would do. {@code problems} is set (and nothing else) when it is invalid. */
  public record DryRunResult(
      boolean valid,
      List<FieldError> problems,
      String maskedText,
      String maskedJson,
      List<List<String>> maskedRows,
      List<Masked> masked,
      Verdict decision,
      List<String> statements) {}

  /** One masking: which rule, where, how often, how. */
  public record Masked(String ruleId, String location, int count, String strategy) {}

  /** The decision on the SQL sample. */
  public record Verdict(String verdict, String ruleId, String reason) {
    static Verdict of(Decision d) {
      return d == null
          ? null
          : new Verdict(d.verdict().name().toLowerCase(), d.ruleId(), d.reason());
    }
  }

  @POST
  @WithSession
  @RolesAllowed(Roles.ADMIN)
  public Uni<DryRunResult> test(@Valid @NotNull DryRun body) {
    if ((body.policyId() == null) == (body.document() == null)) {
      throw Problem.invalidField(
          "policyId", "give either policyId (a saved policy) or document (a draft), not both");
    }
    Uni<JsonNode> document =
        body.document() != null
            ? Uni.createFrom().item(body.document())
            : policies.get(body.policyId()).map(p -> json.valueToTree(p.document));
    return document.map(doc -> run(doc, body.sample()));
  }

  private DryRunResult run(JsonNode document, Sample sample) {
    List<FieldError> problems = validator.problems(document);
    if (!problems.isEmpty()) {
      return new DryRunResult(false, problems, null, null, null, List.of(), null, List.of());
    }
    List<ColumnInfo> columns =
        sample.columns() == null
            ? null
            : sample.columns().stream().map(c -> ColumnInfo.of(c.name(), c.typeOid())).toList();
    PolicyTester.Report report =
        PolicyTester.test(
            document.toString(),
            new PolicyTester.Sample(
                sample.text(),
                sample.json(),
                columns,
                sample.rows(),
                sample.sql(),
                sample.readOnly()));
    if (!report.problems().isEmpty()) {
      return new DryRunResult(
          false,
          report.problems().stream()
              .map(p -> new FieldError("document" + p.pointer(), p.message()))
              .toList(),
          null,
          null,
          null,
          List.of(),
          null,
          List.of());
    }
    return new DryRunResult(
        true,
        List.of(),
        report.maskedText(),
        report.maskedJson(),
        report.maskedRows(),
        report.manifest().items().stream()
            .map(i -> new Masked(i.ruleId(), String.valueOf(i.location()), i.count(), i.strategy()))
            .toList(),
        Verdict.of(report.decision()),
        report.statements().stream().map(s -> s.statementClass() + " " + s.operation()).toList());
  }
}
