package dev.ward.controlplane.distribution;

import dev.ward.controlplane.common.Problem;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Optional;

/**
 * The public artifacts an install needs: the agent distribution, its checksum and the install
 * script. None of them holds a secret (the token never is in the script), so they are served
 * without authentication, the way package repositories serve theirs.
 */
@Path(DistributionResource.PATH)
@PermitAll
public class DistributionResource {

  /** Base path of the distribution, relative to the control plane's URL. */
  public static final String PATH = "/api/v1/distribution";

  private static final String SHELL_SCRIPT = "text/x-shellscript; charset=utf-8";

  private final AgentDistribution distribution;
  private final InstallScripts scripts;
  private final PublicUrl publicUrl;

  public DistributionResource(
      AgentDistribution distribution, InstallScripts scripts, PublicUrl publicUrl) {
    this.distribution = distribution;
    this.scripts = scripts;
    this.publicUrl = publicUrl;
  }

  /** The versions served, newest last. */
  @GET
  @Path("agent")
  @Produces("application/json")
  public AgentVersions versions() {
    List<String> all = distribution.versions().stream().map(AgentVersion::value).toList();
    return new AgentVersions(all, all.isEmpty() ? null : all.get(all.size() - 1));
  }

  /** The versions served and the one install scripts get by default. */
  public record AgentVersions(List<String> versions, String newest) {}

  /** {@code ward-agent-<version>.tar.gz} or its {@code .sha256}. */
  @GET
  @Path("agent/{version}/{file}")
  public Response artifact(@PathParam("version") String version, @PathParam("file") String file) {
    AgentVersion v = new AgentVersion(version);
    if (file.equals(v.tarballName())) {
      return download(distribution.tarball(v), "application/gzip", file);
    }
    if (file.equals(v.checksumName())) {
      return download(distribution.checksum(v), "text/plain; charset=utf-8", file);
    }
    throw new Problem(
        404,
        "Not Found",
        "Version " + v + " has two files: " + v.tarballName() + " and " + v.checksumName() + ".");
  }

  /** The install script for this control plane; the newest version unless one is asked for. */
  @GET
  @Path("install.sh")
  public Response installScript(@QueryParam("version") String version, @Context UriInfo uri) {
    Optional<AgentVersion> wanted =
        version == null || version.isBlank()
            ? Optional.empty()
            : Optional.of(new AgentVersion(version));
    AgentVersion v = distribution.resolve(wanted);
    return Response.ok(scripts.render(publicUrl.of(uri), v), SHELL_SCRIPT)
        .header("Cache-Control", "no-cache")
        .header("X-Content-Type-Options", "nosniff")
        .build();
  }

  private static Response download(java.nio.file.Path file, String type, String name) {
    return Response.ok(file.toFile(), type)
        .header("Content-Disposition", "attachment; filename=\"" + name + "\"")
        .header("Cache-Control", "no-cache")
        .header("X-Content-Type-Options", "nosniff")
        .build();
  }
}
