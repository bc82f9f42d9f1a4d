using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Orchestrator.Tests.EndToEnd;
using Orchestrator.Tests.Http;
using Orchestrator.Tests.Reliability;

namespace Orchestrator.Tests.Concurrency;

/// <summary>
/// The concurrency proof: 8 agents on one store (4 stdio servers, each its own process on one data directory, and 4
/// HTTP clients of one --http server) claim and complete 2,000 subtasks. Each subtask is tried by two agents (its own
/// and its neighbour's), so claims meet; in the middle a stdio server and the HTTP server restart in place and a stdio
/// server is killed with -9 during a call and started cold. Every call carries a request_id; calls that failed in
/// transit are retried with it, and one call in ten is retried on purpose. Then, from the store: every subtask
/// completed exactly once, no claim granted while another's lease ran, every retry answered the same, the state consistent.
/// </summary>
public class ManyAgentsTests
{
    private const int Agents = 8;
    private const int TasksPlanned = 40;
    private const int SubtasksPerTask = 50;
    private const int Subtasks = TasksPlanned * SubtasksPerTask;
    private const int Share = Subtasks / Agents;

    /// <summary>One agent's way to the server: a tool call's raw result (structuredContent or isError), and how to recover its link.</summary>
    private interface IAgentLink : IAsyncDisposable
    {
        string Name { get; }
        Task<JsonObject> CallAsync(string tool, JsonObject arguments);
    }

    private sealed class StdioAgent(string name, string data) : IAgentLink
    {
        public McpStdioClient Client { get; private set; } = null!;
        public string Name => name;

        public async Task StartAsync()
        {
            Client = McpStdioClient.Start(data);
            await Client.InitializeAsync(clientName: name);
        }

        public Task<JsonObject> CallAsync(string tool, JsonObject arguments) => Client.CallToolAsync(tool, arguments);

        public ValueTask DisposeAsync() => Client.DisposeAsync();
    }

    private sealed class HttpAgent(string name, Uri url) : IAgentLink
    {
        public McpHttpClient Client { get; } = new(url, clientName: name);
        public string Name => name;

        public async Task<JsonObject> CallAsync(string tool, JsonObject arguments) => (await Client.CallToolAsync(tool, arguments)).Result();

        public ValueTask DisposeAsync()
        {
            Client.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class Tally
    {
        public readonly ConcurrentDictionary<string, string> CompletedBy = new(StringComparer.Ordinal);
        public readonly ConcurrentQueue<string> Problems = new();
        public int Refusals;
        public readonly ConcurrentDictionary<string, int> RefusalKinds = new(StringComparer.Ordinal);
        public int TransitRetries;
        public int Replays;
    }

    [Test]
    public async Task Eight_agents_complete_2000_subtasks_exactly_once_through_restarts_and_a_kill()
    {
        using var data = new TempDirectory();
        using var project = new TempDirectory();
        await using var http = await HttpServerProcess.StartAsync(data.Path);
        var stdio = Enumerable.Range(1, 4).Select(i => new StdioAgent($"stdio-{i}", data.Path)).ToList();
        foreach (var agent in stdio) await agent.StartAsync();
        var httpAgents = Enumerable.Range(1, 4).Select(i => new HttpAgent($"http-{i}", http.Url)).ToList();
        foreach (var agent in httpAgents) await agent.Client.InitializeAsync();
        var agents = stdio.Cast<IAgentLink>().Concat(httpAgents).ToList();
        try
        {
            async Task<JsonObject> Plan(string tool, JsonObject args) => (await stdio[0].CallAsync(tool, args)).Structured();
            var sessionId = (await Plan("orchestrator_initialize_session", new JsonObject { ["working_directory"] = project.Path }))["session_id"]!.GetValue<string>();
            for (var t = 0; t < TasksPlanned; t++) await AgentTools.PlanAsync(Plan, project.Path, SubtasksPerTask, sessionId);
            // A plan's answer lists as many subtasks as fit the answer budget; the store has them all.
            var ids = AgentTools.Ids(data.Path, "SELECT id FROM subtasks ORDER BY task_id, position");
            await Assert.That(ids.Count).IsEqualTo(Subtasks);

            var tally = new Tally();
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(agents.Select((agent, i) => Task.Run(() =>
            {
                // Its own share, then its neighbour's: every subtask is tried by two agents.
                var order = ids.Skip(i * Share).Take(Share).Concat(ids.Skip((i + 1) % Agents * Share).Take(Share)).ToList();
                return WorkAsync(agent, order, tally, Disruption(agent, stdio, httpAgents));
            })));
            var elapsed = clock.Elapsed;

            await Assert.That(tally.Problems.ToList()).IsEmpty();
            await Assert.That(tally.CompletedBy.Count).IsEqualTo(Subtasks)
                .Because(string.Join("; ", tally.RefusalKinds.Select(k => $"{k.Value}× {k.Key}")));
            await Assert.That(tally.Refusals).IsGreaterThan(0); // the agents met: claims were refused
            await Assert.That(tally.Replays).IsGreaterThan(0);
            await Assert.That(AgentTools.Count(data.Path, "SELECT count(*) FROM subtasks WHERE status = 'completed'")).IsEqualTo(Subtasks);
            await Assert.That(AgentTools.Count(data.Path, "SELECT count(*) FROM artifacts")).IsEqualTo(Subtasks);
            await Assert.That(AgentTools.Count(data.Path, "SELECT count(DISTINCT subtask_id) FROM artifacts")).IsEqualTo(Subtasks);
            await Assert.That(AgentTools.Count(data.Path, "SELECT count(*) FROM tasks WHERE status <> 'completed'")).IsEqualTo(0);
            var claims = AgentTools.Claims(data.Path);
            await Assert.That(AgentTools.Overlaps(claims)).IsEmpty();
            await Assert.That(claims.Count(c => c.EndedAt is null)).IsEqualTo(0);
            // The last claim of every subtask is the one its completion ended, by the agent the answers said completed it.
            var last = claims.GroupBy(c => c.SubtaskId).ToDictionary(g => g.Key, g => g.Last());
            await Assert.That(last.Values.Count(c => c.EndedHow == "completed")).IsEqualTo(Subtasks);
            await Assert.That(last.Count(c => tally.CompletedBy[c.Key] != c.Value.Agent)).IsEqualTo(0);
            await Assert.That(StoreDump.IntegrityCheck(data.Path)).IsEqualTo("ok");
            Console.WriteLine($"8 agents, {Subtasks} subtasks: {elapsed.TotalSeconds:F1} s, {tally.Refusals} refusals, {tally.TransitRetries} retries in transit, {tally.Replays} replays");
        }
        finally
        {
            foreach (var agent in agents) await agent.DisposeAsync();
        }
    }

    /// <summary>What happens to an agent's link after its <c>n</c>th subtask: stdio-1 restarts in place, http-1 restarts the HTTP server in place, stdio-2 is killed mid-call.</summary>
    private static Func<int, string, JsonObject, Task<JsonObject?>> Disruption(IAgentLink agent, List<StdioAgent> stdio, List<HttpAgent> httpAgents) =>
        async (n, tool, arguments) =>
        {
            if (n != Share / 2) return null;
            if (agent == stdio[0] || agent == httpAgents[0])
            {
                var restart = (await agent.CallAsync("orchestrator_restart_server", new JsonObject())).Structured();
                if (restart["phase"]!.GetValue<string>() != "complete") throw new InvalidOperationException("restart: " + restart.ToJsonString());
                return null;
            }
            if (agent == stdio[1] && tool == "orchestrator_execute_subtask")
            {
                // The call is written, then the server dies wherever it is; a new one starts cold and the agent retries.
                var victim = stdio[1];
                _ = victim.Client.SendToolCall(tool, arguments).Answer.ContinueWith(static t => t.Exception, TaskScheduler.Default);
                await victim.Client.KillAsync();
                await victim.Client.DisposeAsync();
                await victim.StartAsync();
                return new JsonObject(); // the answer was lost
            }
            return null;
        };

    private static async Task WorkAsync(IAgentLink agent, List<string> order, Tally tally, Func<int, string, JsonObject, Task<JsonObject?>> disruption)
    {
        for (var n = 0; n < order.Count; n++)
        {
            var id = order[n];
            var execute = new JsonObject { ["subtask_id"] = id, ["request_id"] = $"{agent.Name}/execute/{id}" };
            var started = await CallAsync(agent, "orchestrator_execute_subtask", execute, tally, () => disruption(n, "orchestrator_execute_subtask", execute));
            if (started is null) continue; // held by another agent, or done already
            var complete = new JsonObject { ["subtask_id"] = id, ["summary"] = "done", ["detailed_work"] = $"{id} by {agent.Name}", ["request_id"] = $"{agent.Name}/complete/{id}" };
            var completed = await CallAsync(agent, "orchestrator_complete_subtask", complete, tally, null);
            if (completed is null)
            {
                tally.Problems.Enqueue($"{agent.Name} could not complete {id} it had claimed");
                continue;
            }
            if (!tally.CompletedBy.TryAdd(id, agent.Name)) tally.Problems.Enqueue($"{id} completed by {agent.Name} and {tally.CompletedBy[id]}");
            if (n % 10 == 0)
            {
                // A deliberate retry of both calls: the first answers again, nothing changes.
                foreach (var (tool, arguments, first) in new[] { ("orchestrator_execute_subtask", execute, started), ("orchestrator_complete_subtask", complete, completed) })
                {
                    var again = await CallAsync(agent, tool, arguments.DeepClone().AsObject(), tally, null);
                    Interlocked.Increment(ref tally.Replays);
                    if (again is null || !JsonNode.DeepEquals(again, first))
                        tally.Problems.Enqueue($"{agent.Name}: retried {tool} {id} answered {again?.ToJsonString()} after {first.ToJsonString()}");
                }
            }
        }
    }

    /// <summary>
    /// A call's structured result; null when refused with INVALID_STATE (another agent holds it, or it is done). A call
    /// lost in transit (a dead server, a restart in progress) is retried with the same request_id until it is answered.
    /// </summary>
    private static async Task<JsonObject?> CallAsync(IAgentLink agent, string tool, JsonObject arguments, Tally tally, Func<Task<JsonObject?>>? disruption)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            JsonObject answer;
            try
            {
                answer = (attempt == 0 && disruption is not null ? await disruption() : null) ?? await agent.CallAsync(tool, arguments.DeepClone().AsObject());
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or EndOfStreamException or InvalidOperationException or TimeoutException)
            {
                Interlocked.Increment(ref tally.TransitRetries);
                continue;
            }
            if (answer.Count == 0) { Interlocked.Increment(ref tally.TransitRetries); continue; }
            if (answer["isError"]?.GetValue<bool>() != true) return answer.Structured();
            var error = answer.Error();
            var code = error["error_code"]!.GetValue<string>();
            if (code == "INVALID_STATE")
            {
                Interlocked.Increment(ref tally.Refusals);
                var kind = System.Text.RegularExpressions.Regex.Replace(error["error"]!.GetValue<string>(), "(sub|task)_[0-9a-f]+|\\d+", "#");
                tally.RefusalKinds.AddOrUpdate(kind[..Math.Min(70, kind.Length)], 1, (_, n) => n + 1);
                return null;
            }
            // Refused for now (a restart holds new work): retried with the same request_id.
            Interlocked.Increment(ref tally.TransitRetries);
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, error["retry_after"]?.GetValue<double>() * 1000 ?? 50)));
        }
        tally.Problems.Enqueue($"{agent.Name}: {tool} {arguments["subtask_id"]} never answered");
        return null;
    }
}
