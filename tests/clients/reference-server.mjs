// The reference for `orchestrator bench restart --node-reference`: a small MCP server written the way the official
// TypeScript SDK documents it (McpServer, zod input schemas, stdio transport), with five tools shaped like the reboot
// tools. What the benchmark times is its fresh start to the first tools/list answer: what a user otherwise does when
// a stdio server must restart (the client kills it and spawns it again). It answers every call with a canned result;
// nothing here is part of the orchestrator.
// Usage: node reference-server.mjs
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const server = new McpServer({ name: "node-reference", version: "1.0.0" });
const ok = (value) => ({ content: [{ type: "text", text: JSON.stringify(value) }] });

server.registerTool("restart_server", {
  description: "Trigger a graceful server restart with state preservation",
  inputSchema: {
    graceful: z.boolean().default(true),
    preserve_state: z.boolean().default(true),
    timeout: z.number().int().min(10).max(300).default(30),
    reason: z.enum(["configuration_update", "schema_migration", "error_recovery", "manual_request", "emergency_shutdown"]).default("manual_request"),
  },
}, async (args) => ok({ success: true, ...args }));

server.registerTool("health_check", {
  description: "Comprehensive health check including reboot readiness",
  inputSchema: {
    include_reboot_readiness: z.boolean().default(true),
    include_database_status: z.boolean().default(true),
    include_connection_status: z.boolean().default(true),
  },
}, async () => ok({ healthy: true }));

server.registerTool("restart_status", {
  description: "Get current restart status and progress",
  inputSchema: { include_history: z.boolean().default(false) },
}, async () => ok({ phase: "idle" }));

server.registerTool("shutdown_prepare", {
  description: "Check whether the server can shut down safely",
  inputSchema: { check_active_tasks: z.boolean().default(true) },
}, async () => ok({ ready: true }));

server.registerTool("reconnect_test", {
  description: "Test client reconnection capability",
  inputSchema: { session_id: z.string().optional() },
}, async () => ok({ test_completed: true }));

await server.connect(new StdioServerTransport());
