// The board's script: fetches the JSON API, draws it with DOM calls (text is never parsed as HTML), and follows the
// server's event stream, reconnecting by itself (a restart of the server ends the stream) and keeping what it shows.
"use strict";
(() => {
  const api = "/board/api/";
  const statusNames = { planned: "Planned", in_progress: "In progress", blocked: "Blocked", failed: "Failed", completed: "Completed", cancelled: "Cancelled" };
  const $ = (id) => document.getElementById(id);
  const svgNs = "http://www.w3.org/2000/svg";
  let session = "";
  let openTask = null;
  let artifact = null;
  let refreshes = 0;

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v; else if (k.startsWith("on")) node.addEventListener(k.slice(2), v); else node.setAttribute(k, v);
    }
    for (const c of children) if (c !== null && c !== undefined) node.append(c);
    return node;
  }
  function svg(tag, attrs) {
    const node = document.createElementNS(svgNs, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    return node;
  }
  const when = (ms) => new Date(ms).toLocaleString();
  const label = (s) => s.replace(/_/g, " ");

  async function get(path) {
    const response = await fetch(api + path, { credentials: "same-origin", cache: "no-store" });
    const body = await response.json().catch(() => ({ error: response.statusText }));
    if (!response.ok) throw Object.assign(new Error(body.error || response.statusText), { status: response.status });
    return body;
  }

  function setLive(on, text) {
    const live = $("live");
    live.className = "live " + (on ? "on" : "off");
    live.textContent = text;
  }

  async function refresh() {
    try {
      const [overview, health] = await Promise.all([get("overview" + (session ? "?session=" + encodeURIComponent(session) : "")), get("health")]);
      drawSessions(overview.sessions);
      drawColumns(overview.columns);
      drawClaims(overview.claims);
      drawHealth(health);
      if (openTask) await showTask(openTask, false);
      refreshes++;
      document.body.dataset.refreshes = String(refreshes);
      document.body.dataset.problem = "";
    } catch (e) {
      // What is shown stays; the status line says why it is not current.
      document.body.dataset.problem = e.message;
      if (e.status === 401) { location.reload(); return; }
      setLive(false, "cannot update: " + e.message);
    }
  }

  function drawSessions(sessions) {
    const list = $("sessions");
    list.replaceChildren(...sessions.map((s) => el("li", {}, el("strong", {}, s.working_directory), " ",
      el("span", { class: "meta" }, `${s.tasks} task(s), active ${when(s.last_active_ms)}`))));
    const select = $("session-filter");
    const keep = select.value;
    select.replaceChildren(el("option", { value: "" }, "every session"),
      ...sessions.map((s) => el("option", { value: s.id }, s.working_directory)));
    select.value = keep;
  }

  function drawColumns(columns) {
    $("columns").replaceChildren(...columns.map((c) => {
      const cards = c.tasks.map((t) => {
        const done = t.subtasks ? Math.round(100 * t.completed_subtasks / t.subtasks) : 0;
        return el("li", {}, el("button", { type: "button", class: "card s-" + c.status, "data-task": t.id, onclick: () => showTask(t.id, true),
          "aria-label": `${t.title}, ${t.completed_subtasks} of ${t.subtasks} subtasks completed, priority ${t.priority}` },
          el("span", { class: "title" }, t.title),
          el("span", { class: "sub" }, `${t.completed_subtasks}/${t.subtasks} subtasks · ${t.priority}`),
          el("span", { class: "bar", "aria-hidden": "true" }, el("span", {}))));
      });
      const section = el("section", { class: "column", "aria-label": statusNames[c.status] + " tasks", "data-status": c.status },
        el("h3", { class: "h-" + c.status }, el("span", {}, statusNames[c.status]), el("span", { class: "count" }, String(c.count))),
        el("ul", {}, ...cards));
      if (c.count > c.tasks.length) section.append(el("p", { class: "more" }, `and ${c.count - c.tasks.length} more`));
      // Widths through the CSSOM: the security policy forbids inline style attributes, not style properties set by script.
      section.querySelectorAll(".bar span").forEach((bar, i) => {
        const t = c.tasks[i];
        bar.style.width = (t.subtasks ? 100 * t.completed_subtasks / t.subtasks : 0) + "%";
      });
      return section;
    }));
  }

  function drawClaims(claims) {
    $("claims").replaceChildren(...(claims.length ? claims.map((c) => el("li", {},
      el("strong", {}, c.agent), ` holds “${c.subtask_title}” until ${when(c.lease_until_ms)}`, c.expired ? el("span", { class: "badge st-failed" }, "lease ended") : null))
      : [el("li", { class: "meta" }, "No subtask is claimed.")]));
  }

  function drawHealth(h) {
    const row = (name, ok, text) => [el("dt", {}, name), el("dd", { class: ok ? "ok" : "bad" }, (ok ? "✓ " : "✗ ") + text)];
    const r = h.restart_readiness;
    $("health").replaceChildren(
      ...row("Store", h.store.ok, h.store.ok ? `${h.store.path}, schema ${h.store.schema_version}, ${h.store.tasks} task(s), ${(h.store.size_bytes / 1048576).toFixed(1)} MB` : h.store.problem),
      ...row("Snapshots", h.snapshot_directory.ok, h.snapshot_directory.ok ? h.snapshot_directory.path : h.snapshot_directory.problem),
      ...row("Restart", r.ready, r.ready ? "ready" : r.problems.join("; ")));
    drawRestarts(h.restarts);
  }

  function drawRestarts(restarts) {
    const box = $("restarts");
    const done = restarts.filter((r) => r.duration_ms !== null).reverse();
    if (!done.length) { box.replaceChildren(el("p", { class: "meta" }, "No restart yet.")); return; }
    const width = 320, height = 90, max = Math.max(...done.map((r) => r.duration_ms), 1);
    const step = width / done.length;
    const chart = svg("svg", { viewBox: `0 0 ${width} ${height + 16}`, width: "100%", role: "img",
      "aria-label": `Durations of the last ${done.length} restarts, longest ${max.toFixed(1)} ms` });
    done.forEach((r, i) => {
      const h = Math.max(2, (r.duration_ms / max) * height);
      const bar = svg("rect", { x: i * step + 1, y: height - h, width: Math.max(1, step - 2), height: h, fill: r.success ? "var(--completed)" : "var(--failed)" });
      const title = svg("title", {});
      title.textContent = `${when(r.started_at_ms)}: ${r.duration_ms} ms${r.success ? "" : " (failed: " + (r.error_code || r.phase) + ")"}`;
      bar.append(title);
      chart.append(bar);
    });
    const caption = svg("text", { x: 0, y: height + 14 });
    caption.textContent = `max ${max.toFixed(1)} ms · last ${done[done.length - 1].duration_ms} ms`;
    chart.append(caption);
    box.replaceChildren(chart);
  }

  async function showTask(id, focus) {
    let task;
    try { task = await get("task?id=" + encodeURIComponent(id)); }
    catch (e) { if (e.status === 404) { openTask = null; $("task").hidden = true; } return; }
    openTask = id;
    const section = $("task");
    section.hidden = false;
    $("task-title").textContent = task.title;
    $("task-meta").textContent = `${label(task.status)} · priority ${task.priority} · ${task.working_directory} · updated ${when(task.updated_at_ms)}` +
      (task.cancel_reason ? ` · cancelled: ${task.cancel_reason}` : "");
    $("task-description").textContent = task.description;
    drawGraph(task.subtasks);
    $("subtasks").replaceChildren(...task.subtasks.map((s) => el("li", { id: "sub-" + s.id },
      el("strong", {}, s.title), el("span", { class: "badge st-" + s.status }, label(s.status)),
      el("div", { class: "meta" }, `role ${s.role}` + (s.depends_on.length ? ` · waits for ${s.depends_on.map((d) => keyOf(task, d)).join(", ")}` : "")),
      s.claim ? el("div", {}, `Claimed by ${s.claim.agent} until ${when(s.claim.lease_until_ms)}${s.claim.expired ? " (lease ended)" : ""}`) : null,
      s.status_reason ? el("div", {}, "Reason: " + s.status_reason) : null,
      s.result_summary ? el("div", {}, "Outcome: " + s.result_summary) : null,
      s.artifacts.length ? el("div", {}, "Artifacts: ", ...s.artifacts.map((a) =>
        el("button", { type: "button", class: "artifact-link", onclick: () => openArtifact(a.id, 0) }, `${a.type} (${a.length} chars)`))) : null)));
    if (focus) { section.scrollIntoView({ block: "start" }); $("task-close").focus(); }
  }
  const keyOf = (task, id) => (task.subtasks.find((s) => s.id === id) || { key: id }).key;

  // Subtasks in layers by dependency depth (a subtask sits right of everything it waits for), edges as curves.
  function drawGraph(subtasks) {
    const byId = new Map(subtasks.map((s) => [s.id, s]));
    const depth = new Map();
    const depthOf = (s, seen = new Set()) => {
      if (depth.has(s.id)) return depth.get(s.id);
      if (seen.has(s.id)) return 0;
      seen.add(s.id);
      const d = s.depends_on.length ? 1 + Math.max(...s.depends_on.map((x) => byId.has(x) ? depthOf(byId.get(x), seen) : 0)) : 0;
      depth.set(s.id, d);
      return d;
    };
    subtasks.forEach((s) => depthOf(s));
    const layers = [];
    subtasks.forEach((s) => (layers[depth.get(s.id)] ||= []).push(s));
    const w = 150, h = 36, gx = 40, gy = 12;
    const pos = new Map();
    layers.forEach((layer, x) => layer.forEach((s, y) => pos.set(s.id, { x: x * (w + gx) + 4, y: y * (h + gy) + 4 })));
    const width = layers.length * (w + gx), height = Math.max(...layers.map((l) => l.length)) * (h + gy) + 8;
    const graph = svg("svg", { width, height, viewBox: `0 0 ${width} ${height}`, role: "img",
      "aria-label": `${subtasks.length} subtasks in ${layers.length} dependency levels; the list below says what each waits for` });
    const defs = svg("defs", {});
    const marker = svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto" });
    marker.append(svg("path", { d: "M0,0 L10,5 L0,10 z", class: "arrow" }));
    defs.append(marker);
    graph.append(defs);
    subtasks.forEach((s) => s.depends_on.forEach((d) => {
      const a = pos.get(s.id), b = pos.get(d);
      if (!a || !b) return;
      const x1 = a.x, y1 = a.y + h / 2, x2 = b.x + w, y2 = b.y + h / 2;
      graph.append(svg("path", { d: `M${x1},${y1} C${x1 - gx / 2},${y1} ${x2 + gx / 2},${y2} ${x2},${y2}`, class: "edge", "marker-end": "url(#arrow)" }));
    }));
    subtasks.forEach((s) => {
      const p = pos.get(s.id);
      const g = svg("g", { class: "st-" + s.status });
      g.append(svg("rect", { x: p.x, y: p.y, width: w, height: h, rx: 6, fill: "var(--panel)", stroke: "currentColor", "stroke-width": 2 }));
      const t = svg("text", { x: p.x + 8, y: p.y + 15 });
      t.textContent = s.key.length > 20 ? s.key.slice(0, 19) + "…" : s.key;
      const u = svg("text", { x: p.x + 8, y: p.y + 30 });
      u.textContent = label(s.status);
      g.append(t, u);
      graph.append(g);
    });
    $("task-graph").replaceChildren(graph);
  }

  async function openArtifact(id, offset) {
    let page;
    try { page = await get(`artifact?id=${encodeURIComponent(id)}&offset=${offset}`); } catch (e) { return; }
    const section = $("artifact");
    section.hidden = false;
    $("artifact-title").textContent = `Artifact: ${page.type}`;
    $("artifact-meta").textContent = `${page.length} characters · ${when(page.created_at_ms)}`;
    const text = $("artifact-text");
    if (offset === 0) text.textContent = page.text; else text.textContent += page.text;
    artifact = { id, next: page.next_offset };
    $("artifact-more").hidden = page.next_offset === null;
    if (offset === 0) { section.scrollIntoView({ block: "start" }); text.focus(); }
  }

  // The event stream: EventSource reconnects by itself when the stream ends cleanly (retry: 500 from the server); a
  // failed reconnection (the server refusing while it restarts, say) closes it, and then it is opened again here.
  let source = null;
  function listen() {
    source = new EventSource(api + "events");
    source.addEventListener("hello", () => { setLive(true, "live"); refresh(); });
    source.addEventListener("change", () => refresh());
    source.onerror = () => {
      setLive(false, "reconnecting…");
      if (source.readyState === EventSource.CLOSED) setTimeout(listen, 1000);
    };
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("session-filter").addEventListener("change", (e) => { session = e.target.value; refresh(); });
    $("task-close").addEventListener("click", () => { openTask = null; $("task").hidden = true; $("columns").focus(); });
    $("artifact-close").addEventListener("click", () => { artifact = null; $("artifact").hidden = true; });
    $("artifact-more").addEventListener("click", () => artifact && artifact.next !== null && openArtifact(artifact.id, artifact.next));
    refresh();
    listen();
  });
})();
