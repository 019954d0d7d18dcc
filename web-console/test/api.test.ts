import { describe, expect, it } from "vitest";
import { problemOf, query } from "../src/api";

describe("problemOf", () => {
  it("reads the title, detail and field errors of a problem+json answer", async () => {
    const res = new Response(
      JSON.stringify({ title: "Invalid Request", status: 400, detail: "Some fields are not valid; see errors.", errors: [{ field: "secretRef", message: "env:NAME or file:/absolute/path" }] }),
      { status: 400, headers: { "Content-Type": "application/problem+json" } },
    );
    const p = await problemOf(res);
    expect(p.status).toBe(400);
    expect(p.title).toBe("Invalid Request");
    expect(p.detail).toBe("Some fields are not valid; see errors.");
    expect(p.errors).toEqual([{ field: "secretRef", message: "env:NAME or file:/absolute/path" }]);
  });

  it("explains a bare status when the body is not JSON", async () => {
    const p = await problemOf(new Response("<html>bad gateway</html>", { status: 502, statusText: "Bad Gateway" }));
    expect(p.title).toBe("Bad Gateway");
    expect(p.detail).toMatch(/not reachable/);
    const forbidden = await problemOf(new Response("", { status: 403 }));
    expect(forbidden.detail).toMatch(/role/);
  });
});

describe("query", () => {
  it("leaves out empty values and encodes the rest", () => {
    expect(query({ q: "from customers", state: "", page: 0, actor: undefined, from: null })).toBe("?q=from+customers&page=0");
    expect(query({})).toBe("");
  });
});
