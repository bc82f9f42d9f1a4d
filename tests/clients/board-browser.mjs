// Drives the task board in a real headless Chromium (Debian's package) with puppeteer-core, against the published
// binary serving --http with a token: the board refuses without the token; with it (once in the URL) it loads and
// shows the seeded tasks; a task planned by a separate MCP client (the official TypeScript SDK) appears without a
// reload; the server restarts in place (orchestrator_restart_server) and the page, never reloaded, keeps what it shows,
// reconnects its event stream by itself and shows a task planned after the restart. Optionally writes screenshots.
// Prints one JSON line with the findings; exits 1 on any failure.
// Usage: node board-browser.mjs URL TOKEN SEEDED_TITLE [--screenshots DIR]
import { tmpdir } from "node:os";
import puppeteer from "puppeteer-core";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [base, token, seededTitle, flag, screenshots] = process.argv.slice(2);
if (!base || !token || !seededTitle) {
  console.error("usage: node board-browser.mjs URL TOKEN SEEDED_TITLE [--screenshots DIR]");
  process.exit(2);
}
const origin = new URL(base).origin;
const findings = { ok: false, steps: [] };
const step = (name, detail) => findings.steps.push(detail === undefined ? name : { [name]: detail });
let browser;
const fail = async (message) => {
  findings.message = message;
  console.log(JSON.stringify(findings));
  await browser?.close().catch(() => {});
  process.exit(1);
};
const timeout = 15000;

browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1360, height: 900 });
  const consoleErrors = [];
  page.on("console", (m) => { if (m.type() === "error") consoleErrors.push(m.text()); });
  page.on("pageerror", (e) => consoleErrors.push(String(e)));

  // Without the token: 401 and a page that says what is needed, with a labelled field for it.
  const refused = await page.goto(origin + "/board", { waitUntil: "load" });
  if (refused.status() !== 401) await fail("without the token the board answered " + refused.status());
  const label = await page.$eval("label[for=token]", (l) => l.textContent);
  if (label !== "Token") await fail("the login page has no labelled token field");
  if ((await page.content()).includes("Seeded")) await fail("the refused page shows tasks");
  step("refused_without_token");

  // With the token once in the URL: redirected to a URL without it, the seeded tasks shown.
  await page.goto(origin + "/board?token=" + encodeURIComponent(token), { waitUntil: "load" });
  if (page.url().includes("token=")) await fail("the token stayed in the URL: " + page.url());
  const cookieScript = await page.evaluate(() => document.cookie);
  if (cookieScript.includes(token)) await fail("the token cookie is readable by script");
  await page.waitForFunction((t) => [...document.querySelectorAll(".card .title")].some((e) => e.textContent === t), { timeout }, seededTitle);
  await page.waitForFunction(() => document.getElementById("live").textContent === "live", { timeout });
  const cards = await page.$$eval(".card", (c) => c.length);
  step("loaded", { cards });

  let navigations = 0;
  page.on("framenavigated", (frame) => { if (frame === page.mainFrame()) navigations++; });

  // A separate MCP client changes the store; the page shows it without a reload.
  const transport = new StreamableHTTPClientTransport(new URL(origin + "/mcp"), { requestInit: { headers: { Authorization: `Bearer ${token}` } } });
  const client = new Client({ name: "board-browser-agent", version: "1.0.0" });
  await client.connect(transport);
  const call = async (name, args) => {
    const answer = await client.callTool({ name, arguments: args });
    if (answer.isError) await fail(`${name} failed: ${JSON.stringify(answer)}`);
    return answer.structuredContent;
  };
  const session = (await call("orchestrator_initialize_session", { working_directory: tmpdir() })).session_id;
  const plan = (title) => call("orchestrator_plan_task", {
    session_id: session, title,
    subtasks: [{ title: "draft", role: "architect" }, { title: "write", role: "implementer", depends_on: ["1"] }],
  });
  const shows = (title) => page.waitForFunction((t) => [...document.querySelectorAll(".card .title")].some((e) => e.textContent === t), { timeout }, title);
  const added = "Planned while the board watches";
  const before = Date.now();
  await plan(added);
  await shows(added);
  step("updated_after_tool_call", { ms: Date.now() - before });

  // Open a task: subtasks and their dependency drawn.
  await page.click(`.card[aria-label^="${added}"]`);
  await page.waitForFunction(() => !document.getElementById("task").hidden && document.querySelectorAll("#task-graph svg path.edge").length === 1, { timeout });
  step("task_opened_with_dependency_drawn");

  // An in-place restart of the server that serves the page.
  const restart = await call("orchestrator_restart_server", { reason: "configuration_update" });
  if (restart?.success !== true) await fail("restart not complete: " + JSON.stringify(restart));
  const afterRestart = "Planned after the restart";
  await plan(afterRestart);
  await shows(afterRestart);
  await shows(added);
  await shows(seededTitle);
  if (navigations !== 0) await fail(`the page navigated ${navigations} time(s) during the run`);
  if (await page.$eval("#task", (t) => t.hidden)) await fail("the open task was lost through the restart");
  step("survived_restart", { pid: restart.pid, navigations });

  const restartsDrawn = await page.$$eval("#restarts svg rect", (r) => r.length);
  if (restartsDrawn !== 1) await fail("restart chart has " + restartsDrawn + " bars");
  step("restart_chart", restartsDrawn);
  const relevantErrors = consoleErrors.filter((e) => !/401|EventSource|ERR_|net::/.test(e));
  if (relevantErrors.length) await fail("console errors: " + relevantErrors.join(" | "));

  if (flag === "--screenshots" && screenshots) {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${screenshots}/board-desktop.png`, fullPage: false });
    await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 1 });
    await page.evaluate(() => document.getElementById("task-close").click());
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${screenshots}/board-phone.png`, fullPage: false });
    step("screenshots", screenshots);
  }
  await client.close();
  findings.ok = true;
  console.log(JSON.stringify(findings));
} catch (e) {
  await fail(String(e?.stack ?? e));
}
await browser.close();
process.exit(0);
