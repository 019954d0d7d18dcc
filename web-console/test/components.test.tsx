import { render } from "preact";
import { afterEach, describe, expect, it } from "vitest";
import { ApiError } from "../src/api";
import { Empty, Field, Problem } from "../src/components/ui";

let host: HTMLElement;
afterEach(() => host?.remove());
function mount(node: preact.ComponentChild) {
  host = document.createElement("div");
  document.body.append(host);
  render(node, host);
  return host;
}

describe("components", () => {
  it("renders a problem as an alert with its title, detail and each field", () => {
    const el = mount(<Problem error={new ApiError(409, "Conflict", "Port 6432 is taken on edge-1.", [{ field: "listenPort", message: "in use" }])} />);
    const alert = el.querySelector('[role="alert"]')!;
    expect(alert.textContent).toContain("Conflict");
    expect(alert.textContent).toContain("Port 6432 is taken on edge-1.");
    expect(alert.querySelector("code")!.textContent).toBe("listenPort");
  });

  it("ties a field's label, hint and error to its input", () => {
    const el = mount(<Field label="Name" value="" onValue={() => {}} hint="A DNS label" error="required" />);
    const input = el.querySelector("input")!;
    expect(el.querySelector("label")!.getAttribute("for")).toBe(input.id);
    expect(input.getAttribute("aria-invalid")).toBe("true");
    const described = input.getAttribute("aria-describedby")!.split(" ").map((id) => el.querySelector(`[id="${id}"]`)!.textContent);
    expect(described).toEqual(["A DNS label", "required"]);
  });

  it("says what to do next in an empty state", () => {
    const el = mount(
      <Empty title="No agents yet">
        <p>Register an agent</p>
      </Empty>,
    );
    expect(el.textContent).toContain("No agents yet");
    expect(el.textContent).toContain("Register an agent");
  });
});
