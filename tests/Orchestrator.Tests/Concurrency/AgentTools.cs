using System.Text.Json.Nodes;
using Orchestrator.Tests.EndToEnd;
using Orchestrator.Tests.Reliability;

namespace Orchestrator.Tests.Concurrency;

/// <summary>What the many-agents tests share: plans of independent subtasks, and the claim records read from the store.</summary>
internal static class AgentTools
{
    /// <summary>
    /// A session and one task of <paramref name="count"/> independent subtasks (at most 50); the ids of those the answer
    /// lists, in plan order (a long plan's answer lists as many as fit the answer budget).
    /// </summary>
    public static async Task<(string TaskId, List<string> SubtaskIds)> PlanAsync(Func<string, JsonObject, Task<JsonObject>> call, string workingDirectory, int count,
        string? sessionId = null)
    {
        sessionId ??= (await call("orchestrator_initialize_session", new JsonObject { ["working_directory"] = workingDirectory }))["session_id"]!.GetValue<string>();
        var plan = await call("orchestrator_plan_task", new JsonObject
        {
            ["session_id"] = sessionId,
            ["title"] = "Many agents",
            ["subtasks"] = new JsonArray(Enumerable.Range(1, count).Select(i => (JsonNode)new JsonObject
            {
                ["key"] = $"s{i}", ["title"] = $"Step {i}", ["role"] = "implementer", ["description"] = $"Do step {i}",
            }).ToArray()),
        });
        return (plan["task"]!["id"]!.GetValue<string>(), plan["subtasks"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()).ToList());
    }

    /// <summary>Every claim of the store: subtask, agent, granted, lease end, ended (Unix ms), how it ended, whom it took over from.</summary>
    public static List<ClaimRecord> Claims(string dataDirectory)
    {
        Unit.JitSqlite.Ensure();
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection(
            $"Data Source={Path.Combine(dataDirectory, "orchestrator.db")};Mode=ReadOnly");
        connection.Open();
        return StoreDump.Query(connection, "SELECT subtask_id, agent, granted_at, lease_until, ended_at, ended_how, took_over_from FROM subtask_claims ORDER BY id")
            .Select(r => new ClaimRecord((string)r[0]!, (string)r[1]!, (long)r[2]!, (long)r[3]!, r[4] as long?, r[5] as string, r[6] as string)).ToList();
    }

    /// <summary>
    /// Claims of one subtask whose leases overlapped: a claim granted before the previous one ended (released, completed)
    /// and before its lease ran out. Empty when no claim was ever granted twice while a lease ran.
    /// </summary>
    public static List<string> Overlaps(IEnumerable<ClaimRecord> claims) =>
        claims.GroupBy(c => c.SubtaskId).SelectMany(g =>
        {
            var ordered = g.ToList();
            return ordered.Zip(ordered.Skip(1)).Where(p => p.Second.GrantedAt < Math.Min(p.First.EndedAt ?? long.MaxValue, p.First.LeaseUntil))
                .Select(p => $"{g.Key}: {p.Second.Agent} granted at {p.Second.GrantedAt} while {p.First.Agent}'s ran (lease to {p.First.LeaseUntil}, ended {p.First.EndedAt})");
        }).ToList();

    /// <summary>The strings a query of the store answers, read-only.</summary>
    public static List<string> Ids(string dataDirectory, string sql)
    {
        Unit.JitSqlite.Ensure();
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection(
            $"Data Source={Path.Combine(dataDirectory, "orchestrator.db")};Mode=ReadOnly");
        connection.Open();
        return StoreDump.Query(connection, sql).Select(r => (string)r[0]!).ToList();
    }

    /// <summary>A number of rows the store answers, read-only (as a second process would).</summary>
    public static long Count(string dataDirectory, string sql)
    {
        Unit.JitSqlite.Ensure();
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection(
            $"Data Source={Path.Combine(dataDirectory, "orchestrator.db")};Mode=ReadOnly");
        connection.Open();
        return (long)StoreDump.Query(connection, sql)[0][0]!;
    }
}

internal sealed record ClaimRecord(string SubtaskId, string Agent, long GrantedAt, long LeaseUntil, long? EndedAt, string? EndedHow, string? TookOverFrom);
