// Drives the published binary with the official MCP TypeScript SDK client, as an MCP host would:
// connect over stdio, restart the server in place, and prove the client saw no error, no close and no
// reconnect, and that the session goes on. Prints one JSON line with the findings; exits 1 on any failure.
// Usage: node ts-sdk-restart.mjs /path/to/orchestrator /path/to/data-dir
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const [binary, dataDir] = process.argv.slice(2);
if (!binary || !dataDir) {
  console.error("usage: node ts-sdk-restart.mjs BINARY DATA_DIR");
  process.exit(2);
}

const transport = new StdioClientTransport({
  command: binary,
  args: ["--data-dir", dataDir],
  env: { ...process.env, ORCHESTRATOR_RATE_LIMITS: "off" },
  stderr: "ignore",
});
const events = { errors: [], closed: false, progress: [] };
transport.onerror = (error) => events.errors.push(String(error));
const client = new Client({ name: "ts-sdk-restart-check", version: "1.0.0" });
client.onerror = (error) => events.errors.push(String(error));
client.onclose = () => { events.closed = true; };

const fail = (message) => {
  console.log(JSON.stringify({ ok: false, message, events }));
  process.exit(1);
};

await client.connect(transport);
const serverPid = transport.pid;
const tools = await client.listTools();
const names = tools.tools.map((t) => t.name);
if (!names.includes("orchestrator_restart_server")) fail("restart tool not listed");

const restart = await client.callTool(
  { name: "orchestrator_restart_server", arguments: { reason: "configuration_update" } },
  undefined,
  { onprogress: (p) => events.progress.push(p.progress) },
);
if (restart.isError) fail("restart returned an error: " + JSON.stringify(restart));
const result = restart.structuredContent;
if (result?.phase !== "complete" || result?.success !== true) fail("restart not complete: " + JSON.stringify(result));
if (result.pid !== serverPid) fail(`pid changed: ${serverPid} -> ${result.pid}`);

// The same client, without reconnecting or re-initializing, keeps working.
const health = await client.callTool({ name: "orchestrator_health_check", arguments: {} });
if (health.isError || health.structuredContent?.healthy !== true) fail("health check after restart failed: " + JSON.stringify(health));
const status = await client.callTool({ name: "orchestrator_restart_status", arguments: { include_history: true } });
if (status.structuredContent?.history?.total_restarts !== 1) fail("history does not count the restart: " + JSON.stringify(status));
await client.ping();

if (events.errors.length > 0) fail("client saw errors");
if (events.closed) fail("connection closed during the restart");
const findings = {
  ok: true,
  pid: serverPid,
  restart_pid: result.pid,
  phase: result.phase,
  duration_seconds: result.duration,
  progress: events.progress,
  tools: names.length,
  errors: events.errors.length,
  closed: events.closed,
};
await client.close();
console.log(JSON.stringify(findings));
