// Drives the published binary's resources, prompts and completions with the official MCP TypeScript SDK client, as an
// MCP host would (the SDK validates every answer against the protocol's schemas): list, page and read resources, read a
// template, follow a tool result's resource_link, list and get prompts, complete an argument, subscribe to a task, restart
// the server in place, read on and receive the task's update (over HTTP on the session's GET stream, which the client
// reopens itself after the restart). Prints one JSON line with the findings; exits 1 on any failure.
// Usage: node ts-sdk-resources.mjs stdio BINARY DATA_DIR
//        node ts-sdk-resources.mjs http URL TOKEN
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ResourceUpdatedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";

const [mode, target, extra] = process.argv.slice(2);
if (!["stdio", "http"].includes(mode) || !target || !extra) {
  console.error("usage: node ts-sdk-resources.mjs stdio BINARY DATA_DIR | http URL TOKEN");
  process.exit(2);
}

const transport = mode === "stdio"
  ? new StdioClientTransport({
      command: target,
      args: ["--data-dir", extra],
      env: { ...process.env, ORCHESTRATOR_RATE_LIMITS: "off" },
      stderr: "ignore",
    })
  : new StreamableHTTPClientTransport(new URL(target), { requestInit: { headers: { Authorization: `Bearer ${extra}` } } });
const events = { errors: [], closed: false, updates: [] };
const client = new Client({ name: "ts-sdk-resources-check", version: "1.0.0" });
client.onerror = (error) => events.errors.push(String(error));
client.onclose = () => { events.closed = true; };

const fail = (message) => {
  console.log(JSON.stringify({ ok: false, message, events }));
  process.exit(1);
};
const call = async (name, args) => {
  const result = await client.callTool({ name, arguments: args });
  if (result.isError) fail(`${name} failed: ${JSON.stringify(result)}`);
  return result;
};

await client.connect(transport);
const capabilities = client.getServerCapabilities();
if (!capabilities?.resources?.subscribe || !capabilities?.prompts || !capabilities?.completions) fail("capabilities: " + JSON.stringify(capabilities));

// A task whose design is done (with a Markdown artifact) and whose build is ready.
const session = (await call("orchestrator_initialize_session", { working_directory: process.cwd() })).structuredContent.session_id;
const plan = (await call("orchestrator_plan_task", {
  session_id: session,
  title: "Resource walk",
  subtasks: [
    { key: "design", title: "Design the walk", role: "architect" },
    { key: "build", title: "Build the walk", role: "implementer", depends_on: ["design"] },
  ],
})).structuredContent;
const taskId = plan.task.id;
const [design, build] = plan.subtasks.map((s) => s.id);
await call("orchestrator_execute_subtask", { subtask_id: design });
const completed = await call("orchestrator_complete_subtask", {
  subtask_id: design, summary: "walk designed", detailed_work: "# Walk\n\nLeft, then right.", artifact_type: "design",
});
const artifactId = completed.structuredContent.artifact_id;
const taskUri = `orchestrator://tasks/${taskId}`;
const artifactUri = `orchestrator://artifacts/${artifactId}`;

// The tool result links what it mentions; the link reads as the resource.
const link = completed.content.find((c) => c.type === "resource_link" && c.uri === artifactUri);
if (!link) fail("complete_subtask has no resource_link to its artifact: " + JSON.stringify(completed.content));
const linked = await client.readResource({ uri: link.uri });
if (linked.contents[0].text !== "# Walk\n\nLeft, then right." || linked.contents[0].mimeType !== "text/markdown")
  fail("artifact read: " + JSON.stringify(linked));

// Every page of resources/list, following nextCursor.
const listed = [];
let cursor;
do {
  const page = await client.listResources(cursor ? { cursor } : {});
  listed.push(...page.resources.map((r) => r.uri));
  cursor = page.nextCursor;
} while (cursor);
if (!listed.includes("orchestrator://tasks/open") || !listed.includes(taskUri)) fail("resources/list: " + JSON.stringify(listed));

const templates = (await client.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate);
if (!templates.includes("orchestrator://tasks/{task_id}") || !templates.includes("orchestrator://artifacts/{artifact_id}"))
  fail("templates: " + JSON.stringify(templates));
// A template filled in: the build subtask's result page.
const subtask = (await client.readResource({ uri: `orchestrator://subtasks/${build}` })).contents[0];
if (!subtask.text.includes("Build the walk") || subtask.mimeType !== "text/markdown") fail("subtask read: " + JSON.stringify(subtask));
const report = (await client.readResource({ uri: taskUri })).contents[0];
if (!report.text.includes("walk designed")) fail("task report: " + report.text);

// An unknown task: the spec's resource-not-found error, and the client goes on.
let notFound = null;
try {
  await client.readResource({ uri: "orchestrator://tasks/task_000000000000" });
} catch (error) {
  notFound = error.code;
}
if (notFound !== -32002) fail("unknown resource answered with " + notFound);

const prompts = (await client.listPrompts()).prompts.map((p) => p.name);
for (const name of ["plan_goal", "work_next_subtask", "review_subtask", "synthesize_task"])
  if (!prompts.includes(name)) fail("prompts/list lacks " + name);
const work = await client.getPrompt({ name: "work_next_subtask", arguments: { task_id: taskId } });
const embedded = work.messages.filter((m) => m.content.type === "resource").map((m) => m.content.resource.uri);
if (!embedded.includes(taskUri) || !embedded.includes(`orchestrator://subtasks/${build}`)) fail("work_next_subtask embeds " + JSON.stringify(embedded));

const completion = await client.complete({
  ref: { type: "ref/prompt", name: "work_next_subtask" },
  argument: { name: "task_id", value: taskId.slice(0, 6) },
});
if (!completion.completion.values.includes(taskId)) fail("completion: " + JSON.stringify(completion));
const templateCompletion = await client.complete({
  ref: { type: "ref/resource", uri: "orchestrator://subtasks/{subtask_id}" },
  argument: { name: "subtask_id", value: build.slice(0, 10) },
});
if (!templateCompletion.completion.values.includes(build)) fail("template completion: " + JSON.stringify(templateCompletion));

const findings = { ok: true, mode, resources: listed.length, templates: templates.length, prompts: prompts.length, subscribed: false };

// The client subscribes to the task before the restart; its update comes after it.
const updated = new Promise((resolve) => {
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
    events.updates.push(n.params.uri);
    if (n.params.uri === taskUri) resolve(n.params.uri);
  });
});
await client.subscribeResource({ uri: taskUri });

// Restarted in place: the same client reads on, and the task changes through a tool call.
const restart = await call("orchestrator_restart_server", { reason: "configuration_update" });
if (restart.structuredContent.phase !== "complete") fail("restart: " + JSON.stringify(restart.structuredContent));
const after = (await client.readResource({ uri: taskUri })).contents[0];
if (after.text !== report.text) fail("the report changed across the restart: " + after.text);
await call("orchestrator_execute_subtask", { subtask_id: build });
const changed = (await client.readResource({ uri: `orchestrator://subtasks/${build}` })).contents[0];
if (!changed.text.includes("in_progress")) fail("the subtask read after execute: " + changed.text);
findings.restart_generation = (await call("orchestrator_health_check", {})).structuredContent.restart_generation ?? null;

// Bounded so a missing update fails the run instead of hanging it; the update itself is what ends the wait.
const guard = new Promise((_, reject) => setTimeout(() => reject(new Error("no update within 20 s")), 20_000).unref());
try {
  await Promise.race([updated, guard]);
} catch (error) {
  fail(String(error));
}
findings.subscribed = true;

if (events.errors.length > 0) fail("client saw errors");
if (events.closed) fail("connection closed");
findings.updates = events.updates;
await client.close();
console.log(JSON.stringify(findings));
