import { describe, expect, it } from "vitest";
import { changedFields } from "../src/pages/audit";
import { connectionBody } from "../src/pages/connections";
import { type ProviderFields, mappingText, parseMapping, providerBody } from "../src/pages/identity-providers";
import { parseDocument } from "../src/pages/policies";
import { filtersOf } from "../src/pages/sessions";
import { duration, relative } from "../src/format";

describe("connection form", () => {
  it("sends numbers as numbers, leaves out empty optional fields and reads options lines", () => {
    const body = connectionBody({
      name: " orders ",
      kind: "postgres",
      listenHost: "127.0.0.1",
      listenPort: "6432",
      target: "db:5432",
      database: "orders",
      username: "",
      secretRef: "env:ORDERS_DB_PASSWORD",
      upstreamTls: "verify-full",
      policyId: "",
      recordingMode: "best-effort",
      offlineMode: "fail-closed",
      allowPlaintextGrant: false,
      credentialStyle: "bearer",
      agents: "edge-1, edge-2",
      options: "upstream_ca_file=/etc/ssl/db.pem\n\nbad line",
    });
    expect(body).toMatchObject({ name: "orders", listenPort: 6432, database: "orders", secretRef: "env:ORDERS_DB_PASSWORD", agents: ["edge-1", "edge-2"], options: { upstream_ca_file: "/etc/ssl/db.pem" } });
    expect(body).not.toHaveProperty("username");
    expect(body).not.toHaveProperty("policyId");
    expect(body).not.toHaveProperty("credentialStyle");
  });
});

describe("policy editor", () => {
  it("accepts a JSON object and explains anything else", () => {
    expect(parseDocument('{"schemaVersion":1}').document).toEqual({ schemaVersion: 1 });
    expect(parseDocument("[1]").error).toMatch(/JSON object/);
    expect(parseDocument("{").error).toMatch(/Not valid JSON/);
  });
});

describe("identity provider group mapping", () => {
  it("round-trips lines of 'IdP group = Ward group'", () => {
    const m = parseMapping("Engineering = ward-members\nDBAs=ward-approvers\nnonsense");
    expect(m).toEqual({ Engineering: "ward-members", DBAs: "ward-approvers" });
    expect(parseMapping(mappingText(m))).toEqual(m);
  });
});

describe("identity provider form", () => {
  const saml: ProviderFields = {
    alias: "adfs",
    kind: "saml",
    displayName: "",
    issuerUrl: "https://left.over/from-oidc",
    metadataSource: "xml",
    metadataUrl: "https://left.over/metadata",
    metadataXml: "<md:EntityDescriptor/>",
    clientId: "",
    clientSecret: "typed-then-switched",
    mapping: "Admins = ward-admins",
    enabled: true,
  };

  it("sends a SAML provider's metadata document, and only that, when it comes from XML", () => {
    const body = providerBody(saml);
    expect(body).toMatchObject({ alias: "adfs", kind: "saml", metadataXml: "<md:EntityDescriptor/>", groupMapping: { Admins: "ward-admins" } });
    expect(body).not.toHaveProperty("metadataUrl");
    expect(body).not.toHaveProperty("issuerUrl");
    expect(body).not.toHaveProperty("clientSecret");
    expect(body).not.toHaveProperty("clientId");
  });

  it("leaves the document out when none was given, so an edit keeps the stored one", () => {
    const body = providerBody({ ...saml, metadataXml: "  " });
    expect(body).not.toHaveProperty("metadataXml");
    expect(body).not.toHaveProperty("metadataUrl");
  });

  it("sends the metadata URL, and not the document, when the metadata comes from a URL", () => {
    const body = providerBody({ ...saml, metadataSource: "url", clientId: "ward" });
    expect(body).toMatchObject({ metadataUrl: "https://left.over/metadata", clientId: "ward" });
    expect(body).not.toHaveProperty("metadataXml");
  });

  it("sends no SAML metadata for an OIDC provider", () => {
    const body = providerBody({ ...saml, kind: "oidc", clientId: "ward", clientSecret: "" });
    expect(body).toMatchObject({ issuerUrl: "https://left.over/from-oidc", clientId: "ward" });
    expect(body).not.toHaveProperty("metadataXml");
    expect(body).not.toHaveProperty("metadataUrl");
    expect(body).not.toHaveProperty("clientSecret");
  });
});

describe("audit diff", () => {
  it("names only the fields that changed, created or removed", () => {
    expect(changedFields({ name: "a", port: 1, same: [1] }, { name: "b", port: 1, same: [1], added: true })).toEqual(["added", "name"]);
    expect(changedFields(null, { name: "x" })).toEqual(["name"]);
  });
});

describe("session filters", () => {
  it("reads every filter from the address bar", () => {
    const f = filtersOf(new URLSearchParams("actor=claude-code&q=select&page=2"));
    expect(f.actor).toBe("claude-code");
    expect(f.q).toBe("select");
    expect(f.engineer).toBe("");
  });
});

describe("format", () => {
  it("writes relative times and durations for people", () => {
    const now = Date.parse("2026-11-25T12:00:00Z");
    expect(relative("2026-11-25T11:55:00Z", now)).toBe("5 minutes ago");
    expect(relative("2026-11-25T11:59:58Z", now)).toBe("just now");
    expect(relative(null, now)).toBe("never");
    expect(duration("2026-11-25T12:00:00Z", "2026-11-25T12:01:05Z")).toBe("1 min 5 s");
    expect(duration("2026-11-25T12:00:00Z", null)).toBe("—");
  });
});
