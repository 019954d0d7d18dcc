import { describe, expect, it } from "vitest";
import { base64url, jwtClaims, randomToken, s256Challenge } from "../src/pkce";

describe("PKCE", () => {
  it("derives the S256 challenge of RFC 7636's example verifier", async () => {
    expect(await s256Challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).toBe("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  });

  it("makes verifiers of 43 URL-safe characters that differ every time", () => {
    const a = randomToken();
    const b = randomToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
  });

  it("writes base64url without padding", () => {
    expect(base64url(new Uint8Array([251, 255]))).toBe("-_8");
  });

  it("reads a JWT's claims for display and survives garbage", () => {
    const payload = base64url(new TextEncoder().encode(JSON.stringify({ email: "ada@example.com", groups: ["ward-admins"] })));
    expect(jwtClaims(`x.${payload}.y`)).toEqual({ email: "ada@example.com", groups: ["ward-admins"] });
    expect(jwtClaims("not-a-jwt")).toEqual({});
    expect(jwtClaims("a.%%%.b")).toEqual({});
  });
});
