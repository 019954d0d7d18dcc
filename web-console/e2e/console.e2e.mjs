// The console end to end in a real browser (playwright-core driving Debian's chromium) against a
// running Ward: sign up an organisation, sign in through its Keycloak realm (authorization code +
// PKCE), write a masking policy, create a connection, register an agent and read its install
// instructions, let psql run through the agent, find the session, replay it with masked values,
// verify it as intact and read the audit log.
//
// Whoever runs this (ConsoleIT, scripts/screenshots.sh) owns the processes: when the script needs
// one it writes a line `@@ward {"step": ...}` to stdout and reads the answer, one JSON line, from
// stdin:
//   {"step":"start-agent","token":"…"}   start the agent with this token; answer once it listens
//   {"step":"psql","grant":"…"}          run the psql statements with this grant; answer {"output"}
// Settings come from the environment: WARD_URL, E2E_LISTEN_PORT, E2E_TARGET, E2E_DATABASE,
// E2E_DB_USER, E2E_SECRET_REF, E2E_QUERY_TABLE; CHROMIUM (default /usr/bin/chromium);
// SCREENSHOTS (a folder: save a 1280x800 PNG of each page there).
// Any failed expectation ends the script with exit status 1 and a message naming the step.
import { createInterface } from "node:readline";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

const env = (name, fallback) => {
  const v = process.env[name] ?? fallback;
  if (v === undefined) fail(`environment variable ${name} is not set`);
  return v;
};
const WARD = env("WARD_URL").replace(/\/$/, "");
const LISTEN_PORT = env("E2E_LISTEN_PORT");
const TARGET = env("E2E_TARGET");
const DATABASE = env("E2E_DATABASE");
const DB_USER = env("E2E_DB_USER");
const SECRET_REF = env("E2E_SECRET_REF");
const TABLE = env("E2E_QUERY_TABLE", "customers");
const SHOTS = process.env.SCREENSHOTS || null;
const STEP_TIMEOUT = Number(process.env.E2E_STEP_TIMEOUT_MS ?? 60_000);

const run = Date.now().toString(36);
const ORG = `Acme ${run}`;
const EMAIL = `ada-${run}@acme.example`;
const PASSWORD = `Correct-Horse-${run}-battery`;
const SECRET_EMAIL = "grace@customers.example";

let step = "start";
function log(msg) {
  process.stderr.write(`[console-e2e] ${msg}\n`);
}
function fail(msg) {
  process.stderr.write(`[console-e2e] FAILED at step "${step}": ${msg}\n`);
  process.exit(1);
}
function expect(cond, msg) {
  if (!cond) throw new Error(msg);
}

// --- talking to whoever started us ---------------------------------------------------------
const stdinLines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
async function ask(request) {
  process.stdout.write(`@@ward ${JSON.stringify(request)}\n`);
  const { value, done } = await stdinLines.next();
  if (done) throw new Error(`no answer to ${request.step}: stdin closed`);
  const answer = JSON.parse(value);
  if (!answer.ok) throw new Error(`${request.step} failed: ${answer.error}`);
  return answer;
}

// --- browser helpers -----------------------------------------------------------------------
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  // running as root in a container: chromium's sandbox needs user namespaces it may not have
  args: ["--no-sandbox", "--disable-dev-shm-usage"],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-GB" });
const page = await context.newPage();
page.setDefaultTimeout(STEP_TIMEOUT);
const consoleErrors = [];
page.on("console", (m) => {
  const url = m.location()?.url ?? "";
  if (m.type() === "error") consoleErrors.push(`${m.text()} (${url})`);
});
page.on("pageerror", (e) => consoleErrors.push(`uncaught: ${e.message}`));
// Every refused API call is worth a line in the log when a step fails.
page.on("response", async (r) => {
  if (r.status() >= 400 && r.url().includes("/api/v1/")) {
    const body = await r.text().catch(() => "");
    log(`HTTP ${r.status()} ${r.request().method()} ${r.url().replace(WARD, "")} ${body.slice(0, 300)}`);
  }
});
if (SHOTS) mkdirSync(SHOTS, { recursive: true });

async function shot(name, redact = []) {
  if (!SHOTS) return;
  // the pictures go into the repository: no token-shaped strings in them, even dead ones
  for (const secret of redact) {
    await page.evaluate((secret) => {
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (n.nodeValue.includes(secret)) n.nodeValue = n.nodeValue.replaceAll(secret, `${secret.slice(0, 4)}•••• (shown once)`);
      }
    }, secret);
  }
  // let spinners settle; the screenshot is documentation, not a test
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  log(`screenshot ${name}.png`);
}

/** Accessibility basics: a page title naming Ward, one h1, a label on every visible form input. */
async function checkAccessibility(where) {
  const report = await page.evaluate(() => {
    const unlabelled = [];
    for (const el of document.querySelectorAll("input, select, textarea")) {
      if (el.type === "hidden" || el.offsetParent === null) continue;
      const named = (el.labels && el.labels.length > 0 && el.labels[0].textContent.trim() !== "") || el.getAttribute("aria-label") || el.getAttribute("aria-labelledby");
      if (!named) unlabelled.push(el.outerHTML.slice(0, 120));
    }
    return { title: document.title, h1: document.querySelectorAll("h1").length, unlabelled };
  });
  expect(/ · Ward$/.test(report.title), `${where}: the page title "${report.title}" does not name the page and Ward`);
  expect(report.h1 === 1, `${where}: ${report.h1} h1 headings, expected exactly one`);
  expect(report.unlabelled.length === 0, `${where}: form inputs without a label: ${report.unlabelled.join(" | ")}`);
}

async function heading(text) {
  await page.getByRole("heading", { level: 1, name: text }).waitFor();
}

async function open(path, title) {
  await page.goto(`${WARD}/console${path}`);
  await heading(title);
}

/** Reloads the page until `check` passes (data that arrives asynchronously: uploads, heartbeats). */
async function eventually(what, check, timeoutMs = 90_000) {
  const until = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      if (await check()) return;
    } catch (e) {
      last = e;
    }
    if (Date.now() > until) throw new Error(`${what} did not happen within ${timeoutMs / 1000} s${last ? `: ${last.message}` : ""}`);
    await page.waitForTimeout(1000);
    await page.reload();
  }
}

async function bodyText() {
  return page.locator("main").innerText();
}

// --- the flow ------------------------------------------------------------------------------
const started = Date.now();
try {
  step = "sign-up";
  await open("/signup", "Create your organisation");
  await checkAccessibility("sign-up");
  await shot("signup");
  await page.getByLabel("Organisation name").fill(ORG);
  await page.getByLabel("Your work email").fill(EMAIL);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Create organisation" }).click();
  await page.getByRole("heading", { name: "Your organisation is ready" }).waitFor({ timeout: 180_000 });
  const slug = (await page.locator(".auth-card strong").first().innerText()).trim();
  expect(/^[a-z0-9-]+$/.test(slug), `the organisation's short name "${slug}" is not a slug`);
  log(`signed up organisation ${slug}`);

  step = "sign-in through Keycloak";
  await page.getByRole("link", { name: "Continue to sign in" }).click();
  await heading("Sign in to Ward");
  await checkAccessibility("sign-in");
  expect((await page.getByLabel("Organisation").inputValue()) === slug, "the sign-in page does not carry the organisation over from sign-up");
  await shot("login");
  await page.getByRole("button", { name: "Continue" }).click();
  await page.waitForURL((u) => !u.toString().startsWith(WARD), { timeout: STEP_TIMEOUT });
  const realmUrl = page.url();
  expect(realmUrl.includes(`/realms/`) && realmUrl.includes("code_challenge_method=S256"), `not sent to the realm with PKCE: ${realmUrl}`);
  await page.locator("#username").fill(EMAIL);
  await page.locator("#password").fill(PASSWORD);
  await page.locator("#kc-login").click();
  await page.waitForURL((u) => u.toString().startsWith(`${WARD}/console`) && !u.pathname.endsWith("/callback"), { timeout: STEP_TIMEOUT });

  step = "overview";
  await heading("Overview");
  await checkAccessibility("overview");
  expect((await page.locator(".me-name").innerText()).trim() === EMAIL, "the top bar does not show who signed in");
  for (const stat of ["Agents online", "Sessions today", "Pending approvals", "Secrets masked"]) {
    await page.getByText(stat, { exact: true }).waitFor();
  }
  await page.locator(".stat-value").first().waitFor();

  step = "policy with a masking rule";
  await open("/policies", "Policies");
  await page.getByRole("link", { name: "New policy" }).first().click();
  await heading("New policy");
  await checkAccessibility("policy editor");
  await page.getByLabel("Name").fill("mask-customers");
  await page.getByLabel("Description").fill("Customer emails masked; destructive SQL denied");
  // The live tester masks the sample with the draft as typed.
  await page.getByLabel("Sample result text").fill(`contact ${SECRET_EMAIL}`);
  const tested = page.locator(".masked-output");
  await tested.waitFor();
  await page.waitForFunction((secret) => {
    const t = document.querySelector(".masked-output")?.textContent ?? "";
    return t.startsWith("contact") && !t.includes(secret);
  }, SECRET_EMAIL);
  await shot("policy-editor");
  await page.getByRole("button", { name: "Create policy" }).click();
  await page.getByText(/Saved as version \d+/).waitFor();
  await heading("Policy mask-customers");

  step = "connection";
  await open("/connections", "Connections");
  await page.getByRole("button", { name: "New connection" }).first().click();
  const dialog = page.getByRole("dialog", { name: "New connection" });
  await dialog.waitFor();
  await checkAccessibility("connection dialog");
  await dialog.getByLabel("Name", { exact: true }).fill("customers-db");
  await dialog.getByLabel("Listen port").fill(LISTEN_PORT);
  await dialog.getByLabel("Target").fill(TARGET);
  await dialog.getByLabel("Database").fill(DATABASE);
  await dialog.getByLabel("Upstream user").fill(DB_USER);
  await dialog.getByLabel("Secret reference").fill(SECRET_REF);
  await dialog.getByLabel("Upstream TLS").selectOption("disable");
  await dialog.getByLabel("Policy").selectOption({ label: "mask-customers" });
  await shot("connection-new");
  await dialog.getByRole("button", { name: "Create connection" }).click();
  await dialog.waitFor({ state: "hidden" });
  const row = page.getByRole("row", { name: /customers-db/ });
  await row.waitFor();
  expect((await row.innerText()).includes("mask-customers"), "the new connection's row does not name its policy");
  await shot("connections");
  const connectionId = await page.evaluate(async () => {
    const s = JSON.parse(sessionStorage.getItem("ward.session"));
    const r = await fetch("/api/v1/connections?size=200", { headers: { Authorization: `Bearer ${s.accessToken}` } });
    return (await r.json()).items.find((c) => c.name === "customers-db").id;
  });

  step = "agent and its install instructions";
  await open("/agents", "Agents");
  await page.getByText("No agents yet").waitFor();
  await page.getByRole("button", { name: "Register an agent" }).first().click();
  const register = page.getByRole("dialog", { name: "Register an agent" });
  await register.getByLabel("Name").fill("edge");
  await register.getByRole("button", { name: "Register" }).click();
  const install = page.getByRole("dialog", { name: "Install edge" });
  await install.getByRole("button", { name: "Issue token and show instructions" }).click();
  await install.getByText("Copy the token now").waitFor();
  const token = (await install.locator("pre").first().innerText()).trim();
  expect(token.length > 20, "no agent token in the install instructions");
  const terraform = await install.locator("pre").nth(2).innerText();
  expect(/module\s+"[^"]+"\s*\{/.test(terraform) && terraform.includes("agent-linux"), `the Terraform snippet is not a module block for agent-linux:\n${terraform}`);
  await shot("agent-install", [token]);
  await install.getByRole("button", { name: "Close" }).click();
  await ask({ step: "start-agent", token });
  await eventually("the agent showing as online", async () => (await page.getByRole("row", { name: /edge/ }).innerText()).includes("online"));
  await shot("agents");

  step = "psql through the agent";
  const grant = await page.evaluate(async (id) => {
    const s = JSON.parse(sessionStorage.getItem("ward.session"));
    const r = await fetch(`/api/v1/connections/${id}/grants`, {
      method: "POST",
      headers: { Authorization: `Bearer ${s.accessToken}`, "Content-Type": "application/json" },
      body: JSON.stringify({ actor: "console-e2e" }),
    });
    if (r.status !== 201) return { error: `HTTP ${r.status} ${await r.text()}` };
    return { token: (await r.json()).token };
  }, connectionId);
  expect(grant.token, `no grant for the connection: ${grant.error}`);
  const psql = await ask({ step: "psql", grant: grant.token });
  expect(!psql.output.includes(SECRET_EMAIL), `psql saw the unmasked email:\n${psql.output}`);

  step = "sessions list";
  await open("/sessions", "Sessions");
  await checkAccessibility("sessions");
  await eventually("the session in the list", async () => (await page.getByRole("row", { name: /console-e2e/ }).count()) === 1);
  await shot("sessions");
  await page.getByRole("row", { name: /console-e2e/ }).getByRole("link").first().click();

  step = "replay with masked values";
  await heading("Session replay");
  await checkAccessibility("replay");
  await eventually("the statement in the replay", async () => (await page.locator("pre.statement", { hasText: `FROM ${TABLE}` }).count()) > 0, 120_000);
  const timeline = await page.locator("ol.timeline").innerText();
  expect(!timeline.includes(SECRET_EMAIL), "the replay shows the unmasked email");
  const statement = page.locator("ol.timeline li", { has: page.locator("pre.statement", { hasText: `FROM ${TABLE}` }) });
  expect((await statement.innerText()).includes("email"), "the replayed statement does not name its result columns");
  // the masking manifest of the statement: what was masked, how often, by which strategy
  const masking = page.locator("ol.timeline li", { hasText: /1 value masked/ });
  await masking.waitFor();
  expect(/email\s+1× hmac/.test(await masking.innerText()), `the masking entry does not name the email rule: ${await masking.innerText()}`);
  // the statement's sample rows: the result as the client saw it, the email masked
  const cells = await statement.locator("table.result td").allInnerTexts();
  expect(cells.length >= 2, `the replay shows no result row for the statement: ${await statement.innerText()}`);
  expect(cells.some((c) => c.trim() === "1"), `the replay's result row does not hold the customer id: ${cells}`);
  for (const cell of cells) {
    expect(!cell.includes(SECRET_EMAIL), "a result row in the replay holds the unmasked email");
  }

  step = "verify";
  await eventually(
    "the recording verifying as intact",
    async () => {
      await page.getByRole("button", { name: "Verify now" }).click();
      await page.locator(".integrity .badge").filter({ hasText: /^(Intact|Tail missing|Tampered)/ }).first().waitFor({ timeout: 30_000 });
      const label = (await page.locator(".integrity .badge").first().innerText()).trim();
      expect(label !== "Tampered", "the recording verified as tampered");
      return label === "Intact";
    },
    120_000,
  );
  await shot("replay");

  step = "audit log";
  await open("/audit", "Audit log");
  await checkAccessibility("audit log");
  const actions = ["policy.create", "connection.create", "agent.register", "agent.token-rotate", "grant.issue", "session.verify"];
  // the page fills in after its request returns: wait for the rows, then name what is missing
  await page.locator("table tbody tr").first().waitFor();
  let audit = "";
  await eventually("the audit log listing every step", async () => {
    audit = await bodyText();
    return actions.every((a) => audit.includes(a));
  }, 30_000).catch(() => {});
  for (const action of actions) {
    expect(audit.includes(action), `the audit log does not list ${action}`);
  }
  await shot("audit");

  step = "members";
  await open("/members", "Members and groups");
  await page.getByRole("row", { name: new RegExp(EMAIL.replace(/[.]/g, "\\.")) }).waitFor();
  expect((await page.getByRole("row", { name: new RegExp(EMAIL.replace(/[.]/g, "\\.")) }).innerText()).includes("ward-admins"), "the member row does not show the ward-admins group");
  await shot("members");

  step = "approvals inbox";
  await open("/approvals", "Approvals");
  await checkAccessibility("approvals");
  await page.locator(".empty, table, .approval-list").first().waitFor();
  // the inbox follows GET /api/v1/approvals/events: it says so once the stream is open
  await page.getByRole("status").filter({ hasText: "Live" }).waitFor();

  step = "a held UPDATE approved from the inbox";
  // the policy gains a hold on changes to the table, decided by the tenant's admins (this admin
  // runs the statement too, so the route allows self-approval)
  const held = await page.evaluate(async (table) => {
    const s = JSON.parse(sessionStorage.getItem("ward.session"));
    const h = { Authorization: `Bearer ${s.accessToken}` };
    const list = await (await fetch("/api/v1/policies?size=200", { headers: h })).json();
    const p = list.items.find((x) => x.name === "mask-customers");
    const got = await fetch(`/api/v1/policies/${p.id}`, { headers: h });
    const current = await got.json();
    const doc = current.document;
    doc.access = [{ id: "everyone", groups: ["*"], connections: ["*"], mode: "read-write" }];
    doc.guardrails = doc.guardrails ?? {};
    doc.guardrails.sql = [
      ...(doc.guardrails.sql ?? []),
      { id: "customer-changes", operations: ["update"], tables: [table], action: "hold", approval: "admins", reason: "Changes to customers need an admin." },
    ];
    doc.approvals = [...(doc.approvals ?? []), { id: "admins", approverGroups: ["ward-admins"], selfApproval: true, timeout: "PT5M" }];
    const put = await fetch(`/api/v1/policies/${p.id}`, {
      method: "PUT",
      headers: { ...h, "Content-Type": "application/json", "If-Match": got.headers.get("ETag") },
      body: JSON.stringify({ name: current.name, description: current.description, document: doc }),
    });
    if (!put.ok) return { error: `HTTP ${put.status} ${await put.text()}` };
    return { version: (await (await fetch("/api/v1/config", { headers: h })).json()).version };
  }, TABLE);
  expect(held.version, `the hold rule could not be saved: ${held.error}`);
  await eventually("the agent enforcing the hold rule", async () =>
    page.evaluate(async (v) => {
      const s = JSON.parse(sessionStorage.getItem("ward.session"));
      const r = await (await fetch("/api/v1/agents?name=edge", { headers: { Authorization: `Bearer ${s.accessToken}` } })).json();
      return r.items.length === 1 && r.items[0].configVersionAcked >= v;
    }, held.version),
  );
  await ask({ step: "psql-update-start", grant: grant.token });
  const request = page.locator("li.approval", { hasText: `UPDATE ${TABLE}` });
  await eventually("the held UPDATE in the inbox", async () => (await request.count()) === 1, 60_000);
  expect((await request.innerText()).includes("customer-changes"), "the request does not name the rule that held it");
  expect((await request.innerText()).includes(EMAIL), "the request does not name the engineer by email");
  await shot("approvals");
  await request.getByRole("button", { name: "Approve" }).click();
  const decide = page.getByRole("dialog", { name: "Approve this operation" });
  await decide.getByLabel("Reason (optional)").fill("checked the ticket");
  await decide.getByRole("button", { name: "Approve" }).click();
  await decide.waitFor({ state: "hidden" });
  const updated = await ask({ step: "psql-update-result" });
  expect(updated.output.includes("UPDATE 1"), `psql did not complete the approved UPDATE:\n${updated.output}`);
  expect(updated.output.includes("holds this statement for approval"), `psql did not show the hold notice:\n${updated.output}`);

  step = "overview after the session";
  await open("/", "Overview");
  await page.waitForFunction(() => [...document.querySelectorAll(".stat-value")].length === 4);
  await shot("overview");

  step = "console errors";
  const relevant = consoleErrors.filter((e) => !/favicon/.test(e));
  expect(relevant.length === 0, `the browser console logged errors:\n${relevant.join("\n")}`);
} catch (e) {
  if (SHOTS) await page.screenshot({ path: join(SHOTS, "failure.png") }).catch(() => {});
  const url = page.url();
  await browser.close().catch(() => {});
  fail(`${e.message}\n  at ${url}`);
}
await browser.close();
log(`passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(0);
