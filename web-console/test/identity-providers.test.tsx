import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ProviderForm } from "../src/pages/identity-providers";
import type { IdentityProvider } from "../src/types";

let host: HTMLElement;
afterEach(() => {
  host?.remove();
  vi.unstubAllGlobals();
});
function mount(node: preact.ComponentChild) {
  host = document.createElement("div");
  document.body.append(host);
  render(node, host);
  return host;
}
const settle = () => new Promise((r) => setTimeout(r, 0));

const fromXml: IdentityProvider = {
  id: "5d0c7a4e-0000-4000-8000-000000000001",
  alias: "adfs",
  kind: "saml",
  displayName: "ADFS",
  issuerUrl: null,
  metadataUrl: null,
  samlEntityId: "https://adfs.example.com/adfs/services/trust",
  samlSsoUrl: "https://adfs.example.com/adfs/ls/",
  clientId: null,
  clientSecretSet: false,
  groupMapping: { Admins: "ward-admins" },
  enabled: true,
  version: 3,
  createdAt: "2026-01-01T00:00:00Z",
};

describe("identity provider form", () => {
  it("edits a SAML provider given by metadata XML with the XML field, naming what is stored", () => {
    const el = mount(<ProviderForm existing={fromXml} onCancel={() => {}} onSaved={() => {}} />);
    expect((el.querySelector('select[name="metadataSource"]') as HTMLSelectElement).value).toBe("xml");
    expect(el.querySelector('input[name="metadataUrl"]')).toBeNull();
    const xml = el.querySelector('textarea[name="metadataXml"]') as HTMLTextAreaElement;
    expect(xml).not.toBeNull();
    const hint = el.querySelector(`[id="${xml.getAttribute("aria-describedby")}"]`)!;
    expect(hint.textContent).toContain("https://adfs.example.com/adfs/services/trust");
    expect(hint.textContent).toContain("Leave empty to keep it");
  });

  it("offers the XML field for a new SAML provider and sends a loaded file's document", async () => {
    const sent: { method: string; body: Record<string, unknown> }[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (_url: string, init: RequestInit) => {
        sent.push({ method: String(init.method), body: JSON.parse(String(init.body)) });
        return new Response(JSON.stringify({ id: "x" }), { status: 201, headers: { "Content-Type": "application/json" } });
      }),
    );
    const saved = vi.fn();
    const el = mount(<ProviderForm existing={null} onCancel={() => {}} onSaved={saved} />);
    const change = (selector: string, value: string, event = "change") => {
      const input = el.querySelector(selector) as HTMLInputElement | HTMLSelectElement;
      input.value = value;
      input.dispatchEvent(new Event(event, { bubbles: true }));
    };
    change('input[name="alias"]', "adfs", "input");
    change('select[name="kind"]', "saml");
    await settle();
    expect(el.querySelector('input[name="metadataUrl"]')).not.toBeNull();
    change('select[name="metadataSource"]', "xml");
    await settle();

    const file = el.querySelector('input[name="metadataFile"]') as HTMLInputElement;
    const xml = '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp"/>';
    // jsdom's File has no text(); browsers do
    const picked = Object.assign(new File([xml], "metadata.xml", { type: "application/xml" }), { text: async () => xml });
    Object.defineProperty(file, "files", { value: [picked] });
    file.dispatchEvent(new Event("change", { bubbles: true }));
    await vi.waitFor(() => expect((el.querySelector('textarea[name="metadataXml"]') as HTMLTextAreaElement).value).toBe(xml));

    (el.querySelector("form") as HTMLFormElement).dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
    await vi.waitFor(() => expect(saved).toHaveBeenCalled());
    expect(sent).toHaveLength(1);
    expect(sent[0].method).toBe("POST");
    expect(sent[0].body).toMatchObject({ alias: "adfs", kind: "saml", metadataXml: xml });
    expect(sent[0].body).not.toHaveProperty("metadataUrl");
  });

  it("requires the display name, as the API does, and shows the API's answer beside it", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(
        async () =>
          new Response(
            JSON.stringify({
              title: "Bad Request",
              status: 400,
              detail: "The request has invalid fields.",
              errors: [{ field: "displayName", message: "must not be blank" }],
            }),
            { status: 400, headers: { "Content-Type": "application/problem+json" } },
          ),
      ),
    );
    const saved = vi.fn();
    const el = mount(<ProviderForm existing={null} onCancel={() => {}} onSaved={saved} />);
    const displayName = el.querySelector('input[name="displayName"]') as HTMLInputElement;
    // Marked the way the form marks its other required fields.
    expect((el.querySelector('input[name="alias"]') as HTMLInputElement).required).toBe(true);
    expect(displayName.required).toBe(true);

    (el.querySelector("form") as HTMLFormElement).dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
    await vi.waitFor(() => expect(displayName.getAttribute("aria-invalid")).toBe("true"));
    const described = displayName.getAttribute("aria-describedby")!.split(" ").map((id) => el.querySelector(`[id="${id}"]`)?.textContent);
    expect(described).toContain("must not be blank");
    expect(saved).not.toHaveBeenCalled();
  });
});
