import { describe, expect, it } from "vitest";
import { matchRoute } from "../src/router";

const routes = ["/", "/sessions", "/sessions/:id", "/policies/new", "/policies/:id"];

describe("matchRoute", () => {
  it("matches the console root with or without the trailing slash", () => {
    expect(matchRoute("/console/", routes)?.route).toBe("/");
    expect(matchRoute("/console", routes)?.route).toBe("/");
  });

  it("reads parameters and prefers the first matching pattern", () => {
    expect(matchRoute("/console/sessions/abc-1", routes)).toEqual({ route: "/sessions/:id", params: { id: "abc-1" } });
    expect(matchRoute("/console/policies/new", routes)?.route).toBe("/policies/new");
    expect(matchRoute("/console/policies/p1", routes)?.params).toEqual({ id: "p1" });
  });

  it("answers null for unknown pages and malformed escapes", () => {
    expect(matchRoute("/console/nope/deeper/still", routes)).toBeNull();
    expect(matchRoute("/console/sessions/%E0%A4%A", routes)).toBeNull();
  });
});
