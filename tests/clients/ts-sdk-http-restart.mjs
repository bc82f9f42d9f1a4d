// Drives the published binary over Streamable HTTP with the official MCP TypeScript SDK client: connect,
// restart the server in place, and prove the client saw no error and no close, kept its session id, and goes on
// without re-initializing. Prints one JSON line with the findings; exits 1 on any failure.
// Usage: node ts-sdk-http-restart.mjs URL [TOKEN]
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [url, token] = process.argv.slice(2);
if (!url) {
  console.error("usage: node ts-sdk-http-restart.mjs URL [TOKEN]");
  process.exit(2);
}

const transport = new StreamableHTTPClientTransport(new URL(url), {
  requestInit: token ? { headers: { Authorization: `Bearer ${token}` } } : undefined,
});
const events = { errors: [], closed: false };
transport.onerror = (error) => events.errors.push(String(error));
const client = new Client({ name: "ts-sdk-http-restart-check", version: "1.0.0" });
client.onerror = (error) => events.errors.push(String(error));
client.onclose = () => { events.closed = true; };

const fail = (message) => {
  console.log(JSON.stringify({ ok: false, message, events }));
  process.exit(1);
};

await client.connect(transport);
const sessionBefore = transport.sessionId;
const tools = await client.listTools();
const names = tools.tools.map((t) => t.name);
if (!names.includes("orchestrator_restart_server")) fail("restart tool not listed");
const before = await client.callTool({ name: "orchestrator_health_check", arguments: {} });
if (before.isError) fail("health check failed: " + JSON.stringify(before));

const restart = await client.callTool({ name: "orchestrator_restart_server", arguments: { reason: "configuration_update" } });
if (restart.isError) fail("restart returned an error: " + JSON.stringify(restart));
const result = restart.structuredContent;
if (result?.phase !== "complete" || result?.success !== true) fail("restart not complete: " + JSON.stringify(result));

// The same client, same session, no re-initialize: the new image serves it.
const health = await client.callTool({ name: "orchestrator_health_check", arguments: {} });
if (health.isError || health.structuredContent?.healthy !== true) fail("health check after restart failed: " + JSON.stringify(health));
const test = await client.callTool({ name: "orchestrator_reconnect_test", arguments: { session_id: sessionBefore } });
if (test.structuredContent?.overall_status !== "pass") fail("session not reachable after restart: " + JSON.stringify(test));
const status = await client.callTool({ name: "orchestrator_restart_status", arguments: { include_history: true } });
if (status.structuredContent?.history?.total_restarts !== 1) fail("history does not count the restart: " + JSON.stringify(status));
await client.ping();

if (events.errors.length > 0) fail("client saw errors");
if (events.closed) fail("connection closed during the restart");
const findings = {
  ok: true,
  pid: result.pid,
  session_before: sessionBefore ?? null,
  session_after: transport.sessionId ?? null,
  duration_seconds: result.duration,
  tools: names.length,
  errors: events.errors.length,
  closed: events.closed,
};
await client.close();
console.log(JSON.stringify(findings));
