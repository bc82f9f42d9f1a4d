using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Orchestrator.Cli;

/// <summary>
/// The story <c>orchestrator demo</c> tells, one step per call or two: a session opened, a task of three dependent
/// subtasks planned, the first started, the server restarted in place while it is in progress (same PID, the client
/// neither reconnecting nor initializing again, the subtask still in progress), then every subtask completed and the
/// results synthesized. Each step checks what it claims from the server's own answers.
/// </summary>
internal sealed partial class DemoScript(IDemoServer server, string dataDirectory, DemoSteps steps)
{
    private const string Title = "Cache weather forecasts";

    /// <summary>The name the demo's client gives at initialize (<see cref="IDemoServer.InitializeAsync"/>).</summary>
    public const string ClientName = "orchestrator-demo";

    private string _sessionId = "";
    private string _taskId = "";
    private readonly Dictionary<string, string> _subtaskIds = [];

    /// <summary>What the restart showed, for the summary.</summary>
    public (int Pid, double Milliseconds) Restart { get; private set; }

    public async Task RunAsync()
    {
        await steps.RunAsync("session", OpenSessionAsync);
        await steps.RunAsync("plan", PlanAsync);
        await steps.RunAsync("execute", () => ExecuteAsync("design"));
        await steps.RunAsync("restart", RestartAsync);
        await steps.RunAsync("survived", CheckSurvivalAsync);
        await steps.RunAsync("complete", () => CompleteAsync("design", "implement"));
        await steps.RunAsync("work", () => ExecuteAndCompleteAsync("implement", "test"));
        await steps.RunAsync("work", () => ExecuteAndCompleteAsync("test", null));
        await steps.RunAsync("synthesize", SynthesizeAsync);
    }

    private async Task<DemoStepReport> OpenSessionAsync()
    {
        await server.InitializeAsync();
        var session = await CallAsync("orchestrator_initialize_session", $$"""{"working_directory":{{Quote(dataDirectory)}}}""");
        _sessionId = Text(session, "session_id");
        var roles = Field(session, "roles").GetArrayLength();
        var opened = Field(session, "resumed").GetBoolean() ? "resumed" : "opened";
        var report = new DemoStepReport($"MCP initialized; session {_sessionId} {opened}, {roles} specialist roles")
            .With("session_id", _sessionId).With("resumed", opened == "resumed").With("roles", roles);
        if (server is HttpDemoServer { SessionId: { } mcpSession }) report.With("mcp_session_id", mcpSession);
        return report;
    }

    private async Task<DemoStepReport> PlanAsync()
    {
        var plan = await CallAsync("orchestrator_plan_task", $$"""
            {"session_id":{{Quote(_sessionId)}},"title":{{Quote(Title)}},
             "description":"Forecasts for the same city are fetched again on every request; keep them for ten minutes.",
             "subtasks":[
               {"key":"design","title":"Design the cache","role":"architect","description":"Keys, expiry and invalidation."},
               {"key":"implement","title":"Implement the cache","role":"implementer","depends_on":["design"]},
               {"key":"test","title":"Test hits, misses and expiry","role":"tester","depends_on":["implement"]}]}
            """);
        _taskId = Text(Field(plan, "task"), "id");
        var stored = Field(plan, "subtasks").EnumerateArray().ToList();
        foreach (var subtask in stored) _subtaskIds[Text(subtask, "key")] = Text(subtask, "id");
        Expect(_subtaskIds.Keys.SequenceEqual(["design", "implement", "test"]), $"design, implement, test stored, got {string.Join(", ", _subtaskIds.Keys)}");
        // Each subtask after the first depends on the one before it, as stored (dependencies are subtask ids).
        for (var i = 1; i < stored.Count; i++)
        {
            var dependsOn = string.Join(",", Field(stored[i], "depends_on").EnumerateArray().Select(d => d.GetString()));
            Expect(dependsOn == Text(stored[i - 1], "id"), $"{Text(stored[i], "key")} depending on {Text(stored[i - 1], "key")}");
        }
        var ready = Keys(Field(plan, "ready"));
        Expect(ready == "design", $"only design ready, got '{ready}'");
        var chain = string.Join(" -> ", stored.Select(s => $"{Text(s, "key")} ({Text(s, "role")})"));
        return new DemoStepReport($"task \"{Title}\": {chain}; ready: {ready}")
            .With("task_id", _taskId).With("subtasks", stored.Count).With("ready", ready);
    }

    private async Task<DemoStepReport> ExecuteAsync(string key)
    {
        var started = await CallAsync("orchestrator_execute_subtask", $$"""{"subtask_id":{{Quote(_subtaskIds[key])}}}""");
        var status = Text(Field(started, "subtask"), "status");
        Expect(status == "in_progress", $"{key} in_progress, got {status}");
        var role = Text(Field(started, "subtask"), "role");
        return new DemoStepReport($"{key} is {status}: the {role}'s prompt and the goal handed over")
            .With("subtask", key).With("status", status);
    }

    private async Task<DemoStepReport> RestartAsync()
    {
        var before = server.Pid;
        var clock = Stopwatch.StartNew();
        var answer = await CallAsync("orchestrator_restart_server", """{"reason":"manual_request"}""");
        var roundTrip = clock.Elapsed.TotalMilliseconds;
        var phase = Text(answer, "phase");
        Expect(Field(answer, "success").GetBoolean() && phase == "complete", $"a successful restart, got phase {phase}");
        var after = Field(answer, "pid").GetInt32();
        Expect(after == before && server.IsRunning, $"the same PID {before} still running, got {after}");
        var milliseconds = Math.Round(Field(answer, "duration").GetDouble() * 1000, 1);
        Restart = (after, milliseconds);
        return new DemoStepReport($"in place while design is in progress: PID {before} -> {after}, took {Ms(milliseconds)} ms ({Ms(roundTrip)} ms round trip)")
            .With("pid_before", before).With("pid_after", after).With("duration_ms", milliseconds)
            .With("round_trip_ms", Math.Round(roundTrip, 1)).With("phase", phase);
    }

    /// <summary>
    /// The client sent no second initialize (it cannot: it has one handshake) and the server's own session test says
    /// the session it negotiated survived the restart; the subtask in progress came back in progress.
    /// </summary>
    private async Task<DemoStepReport> CheckSurvivalAsync()
    {
        var mcpSession = (server as HttpDemoServer)?.SessionId;
        var test = await CallAsync("orchestrator_reconnect_test", mcpSession is null ? "{}" : $$"""{"session_id":{{Quote(mcpSession)}}}""");
        var results = Field(test, "results");
        var sessionStatus = Text(Field(results, mcpSession is null ? "all_sessions" : "session_test"), "status");
        // The server names the session by the client name of the demo's one initialize, and counts the restarts it survived.
        var survived = SurvivedCount().Match(sessionStatus);
        Expect(Text(test, "overall_status") == "pass" && sessionStatus.Contains($"({ClientName})", StringComparison.Ordinal)
            && survived.Success && survived.Groups[1].Value == "1", $"the {ClientName} session reachable after 1 restart, got: {sessionStatus}");

        var status = await CallAsync("orchestrator_get_status", $$"""{"task_id":{{Quote(_taskId)}}}""");
        var design = Field(status, "subtasks").EnumerateArray().First(s => Text(s, "key") == "design");
        var designStatus = Text(design, "status");
        Expect(designStatus == "in_progress", $"design back in_progress, got {designStatus}");

        var where = mcpSession is null ? sessionStatus : $"same TCP connection, session {mcpSession} {sessionStatus}";
        return new DemoStepReport($"no new initialize: {where}; design still {designStatus}")
            .With("reinitialized", false).With("session_status", sessionStatus).With("restarts_survived", int.Parse(survived.Groups[1].Value, CultureInfo.InvariantCulture))
            .With("subtask", "design").With("subtask_status", designStatus);
    }

    private Task<DemoStepReport> CompleteAsync(string key, string? nextReady) => CompleteAsync(key, nextReady, "completed");

    private async Task<DemoStepReport> ExecuteAndCompleteAsync(string key, string? nextReady)
    {
        await ExecuteAsync(key);
        return await CompleteAsync(key, nextReady, "started and completed");
    }

    private async Task<DemoStepReport> CompleteAsync(string key, string? nextReady, string what)
    {
        var done = await CallAsync("orchestrator_complete_subtask", $$"""
            {"subtask_id":{{Quote(_subtaskIds[key])}},"summary":{{Quote($"(demo) {key} done.")}},
             "detailed_work":{{Quote($"(demo) The {key} work product, stored as an artifact and handed to the subtasks that depend on it.")}},
             "file_paths":[{{Quote(Artifact(key).Path)}}],"artifact_type":{{Quote(Artifact(key).Type)}}}
            """);
        var subtask = Field(done, "subtask");
        var status = Text(subtask, "status");
        var ready = Keys(Field(done, "newly_ready"));
        var task = Text(done, "task_status");
        Expect(status == "completed", $"{key} completed, got {status}");
        Expect(ready == (nextReady ?? ""), $"ready now: '{nextReady}', got '{ready}'");
        if (nextReady is null) Expect(task == "completed", $"the task completed, got {task}");
        var after = nextReady is null ? $"task {task}" : $"ready now: {ready}";
        return new DemoStepReport($"{key} ({Text(subtask, "role")}) {what}; {after}")
            .With("subtask", key).With("status", status).With("ready", ready).With("task_status", task);
    }

    private async Task<DemoStepReport> SynthesizeAsync()
    {
        var synthesis = await CallAsync("orchestrator_synthesize_results", $$"""{"task_id":{{Quote(_taskId)}}}""");
        var complete = Field(synthesis, "complete").GetBoolean();
        var results = Field(synthesis, "results").GetArrayLength();
        var files = Field(synthesis, "file_paths").GetArrayLength();
        var lines = Text(synthesis, "synthesis").Split('\n').Length;
        Expect(complete && results == 3, $"a complete synthesis of 3 results, got complete={complete}, {results} results");
        return new DemoStepReport($"{results} results in one Markdown document ({lines} lines, {files} files)")
            .With("complete", complete).With("results", results).With("files", files).With("lines", lines);
    }

    private async Task<JsonElement> CallAsync(string tool, string argumentsJson) =>
        ToolAnswer.Result(tool, await server.CallToolAsync(tool, Compact(argumentsJson)));

    /// <summary>The arguments on one line: over stdio a message is one line, and the plans above are written readably.</summary>
    private static string Compact(string json)
    {
        using var document = JsonDocument.Parse(json);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            document.WriteTo(writer);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The file and kind of work each (pretend) specialist reports.</summary>
    private static (string Path, string Type) Artifact(string key) => key switch
    {
        "design" => ("docs/forecast-cache.md", "design"),
        "implement" => ("src/forecast-cache.ts", "code"),
        _ => ("test/forecast-cache.test.ts", "test"),
    };

    private static void Expect(bool condition, string expected)
    {
        if (!condition) throw new DemoStepFailed($"expected {expected}");
    }

    private static JsonElement Field(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value
            : throw new DemoStepFailed($"the server's answer has no '{name}': {Shorten(element.GetRawText())}");

    private static string Text(JsonElement element, string name) => Field(element, name).GetString() ?? "";

    /// <summary>The keys of a list of subtask references, comma-separated.</summary>
    private static string Keys(JsonElement subtasks) => string.Join(",", subtasks.EnumerateArray().Select(s => Text(s, "key")));

    /// <summary>A JSON string literal of <paramref name="text"/>.</summary>
    private static string Quote(string text) =>
        "\"" + JsonEncodedText.Encode(text, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping) + "\"";

    private static string Ms(double milliseconds) => milliseconds.ToString("0.0", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"(\d+) restart\(s\) survived")]
    private static partial Regex SurvivedCount();

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
