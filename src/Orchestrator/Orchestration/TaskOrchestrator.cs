using System.Security.Cryptography;
using System.Text;
using Orchestrator.Orchestration.Answers;
using Orchestrator.Orchestration.Storage;
using Orchestrator.Storage;
using Orchestrator.Tooling;

namespace Orchestrator.Orchestration;

/// <summary>
/// The task orchestrator: sessions, planned tasks, specialist subtasks and their results, kept in the server's SQLite
/// store. Each tool call is one transaction; a refused call (bad input, unknown id, wrong state) rolls back and changes
/// nothing. Each answer is shaped to fit the answer budget after the transaction (see <see cref="AnswerFitter"/>). The
/// tools' logic lives in the other parts of this partial class, one file per tool.
/// </summary>
public sealed partial class TaskOrchestrator
{
    private readonly Database _database;
    private readonly TimeProvider _clock;
    private readonly Func<string, string> _newId;
    private readonly RoleCatalog _roles = new();
    private readonly int _budget;

    /// <param name="database">The opened, migrated store.</param>
    /// <param name="clock">Source of every timestamp written.</param>
    /// <param name="defaultWorkingDirectory">Used by initialize_session when no directory is given (the server's current directory).</param>
    /// <param name="newId">Makes an id from a prefix (<c>sess</c>, <c>task</c>, <c>sub</c>, <c>art</c>); by default prefix, underscore and 12 random hex digits.</param>
    /// <param name="answerBudget">Characters an answer's text may have (<see cref="AnswerBudget"/>).</param>
    internal TaskOrchestrator(Database database, TimeProvider clock, string defaultWorkingDirectory, Func<string, string>? newId = null,
        int answerBudget = AnswerBudget.Default)
    {
        _database = database;
        _clock = clock;
        DefaultWorkingDirectory = defaultWorkingDirectory;
        _newId = newId ?? RandomId;
        _budget = answerBudget;
    }

    public string DefaultWorkingDirectory { get; }

    private static string RandomId(string prefix) => prefix + "_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    /// <summary>Now, to the millisecond: what the store keeps, so a value read back equals the value written.</summary>
    private DateTimeOffset Now()
    {
        var now = _clock.GetUtcNow();
        return DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds());
    }

    /// <summary>A call's change at <paramref name="now"/>, made by <paramref name="actor"/>.</summary>
    private static Change ChangeBy(Actor actor, Sql sql, DateTimeOffset now, string phase) => new(sql, now, actor, phase);

    /// <summary>A call's change at <paramref name="now"/>, made by its caller's client (calls without a transport: <see cref="TaskCaller.UnnamedClient"/>).</summary>
    private static Change ChangeBy(TaskCaller? caller, Sql sql, DateTimeOffset now, string phase) =>
        new(sql, now, Actor.Of(null, (caller ?? TaskCaller.None).Client), phase);

    /// <summary>Runs <paramref name="work"/> in one write transaction; the answer it describes is shaped after the commit.</summary>
    private ToolOutcome<T> Write<T>(string phase, Func<Sql, Func<AnswerShaper, T>> work) where T : IJsonWritable =>
        Guard(phase, () => _database.Write((c, t) => work(new Sql(c, t))));

    /// <summary>
    /// Runs <paramref name="work"/> in one write transaction for a call that may carry a request id. With one, the
    /// transaction first looks for the id among the answers kept for the caller's client: the same call gets its kept
    /// answer again and nothing is done; another call under the same id is INVALID_PARAMETERS. Otherwise the answer is
    /// shaped inside the transaction and kept with the change it answers, so that a client that lost it (a dropped
    /// connection, a restart) gets it again. Refusals are not kept: a retry is judged afresh.
    /// </summary>
    private ToolOutcome<T> Write<T>(string phase, TaskCaller caller, Func<Sql, Func<AnswerShaper, T>> work) where T : IJsonWritable
    {
        if (caller.Request is not { } request) return Write(phase, work);
        try
        {
            return _database.Write((c, t) =>
            {
                var sql = new Sql(c, t);
                var now = Now();
                var keptSince = now - IdempotentRequest.Kept;
                PruneKeptAnswers(sql, keptSince);
                if (IdempotencyRepository.Find(sql, caller.Client, request.RequestId, keptSince) is { } kept)
                {
                    if (kept.Tool != request.Tool || kept.Fingerprint != request.Fingerprint)
                    {
                        var errors = new ArgumentErrors();
                        errors.Add(IdempotentRequest.ArgumentName,
                            $"was used for another call within {IdempotentRequest.Kept.TotalHours:0} hours ({kept.Tool} with other arguments): "
                            + "give each change its own request_id, and the same arguments when retrying");
                        throw OrchestrationException.InvalidParameters(errors, phase);
                    }
                    return ToolOutcome<T>.Replayed(kept.Answer);
                }
                var answer = AnswerFitter.Fit(_budget, work(sql));
                IdempotencyRepository.Insert(sql, caller.Client, request, Encoding.UTF8.GetString(ToolResults.Serialize(answer.WriteJson)), now);
                return (ToolOutcome<T>)answer;
            });
        }
        catch (OrchestrationException ex)
        {
            return ex.Error;
        }
        catch (StoreFaultException ex)
        {
            return ex.ToToolError(phase);
        }
        catch (RolesFileException ex)
        {
            return new ToolError(ErrorCode.InvalidParameters, ex.Message, phase) { Details = ex.Problems };
        }
    }

    private long _prunedAt;

    /// <summary>Deletes expired answers, at most once a minute per image: lookups ignore them anyway, this only bounds the table.</summary>
    private void PruneKeptAnswers(Sql sql, DateTimeOffset keptSince)
    {
        var minute = keptSince.ToUnixTimeMilliseconds() / 60_000;
        if (Interlocked.Exchange(ref _prunedAt, minute) == minute) return;
        IdempotencyRepository.Prune(sql, keptSince);
    }

    /// <summary>The agent a call acts as: the one it names (trimmed, bounded), else its client's name.</summary>
    private static string AgentOf(ArgumentErrors errors, string? named, TaskCaller caller)
    {
        if (named is null) return caller.Client;
        var trimmed = named.Trim();
        if (trimmed.Length == 0) errors.Add("agent", "must not be blank (leave it out to act as the client's name)");
        else if (trimmed.Length > SubtaskClaims.MaxAgent) errors.Add("agent", $"longer than {SubtaskClaims.MaxAgent} characters");
        return trimmed;
    }

    private ToolOutcome<T> Read<T>(string phase, Func<Sql, Func<AnswerShaper, T>> work) where T : IJsonWritable =>
        Guard(phase, () => _database.Read(c => work(new Sql(c, null))));

    private ToolOutcome<T> Guard<T>(string phase, Func<Func<AnswerShaper, T>> run) where T : IJsonWritable
    {
        try
        {
            return AnswerFitter.Fit(_budget, run());
        }
        catch (OrchestrationException ex)
        {
            return ex.Error;
        }
        catch (StoreFaultException ex)
        {
            return ex.ToToolError(phase);
        }
        catch (RolesFileException ex)
        {
            return new ToolError(ErrorCode.InvalidParameters, ex.Message, phase) { Details = ex.Problems };
        }
    }

    private static void Require(ArgumentErrors errors, string phase)
    {
        if (errors.Count > 0) throw OrchestrationException.InvalidParameters(errors, phase);
    }

    private static string? NonBlank(ArgumentErrors errors, string field, string? value, int maxLength)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed)) errors.Add(field, "must not be empty");
        else if (trimmed.Length > maxLength) errors.Add(field, $"longer than {maxLength} characters");
        else return trimmed;
        return null;
    }

    private static Session SessionOrThrow(Sql sql, string id, string phase) =>
        SessionRepository.Get(sql, id) ?? throw OrchestrationException.NotFound("session", id, phase);

    private static WorkTask TaskOrThrow(Sql sql, string id, string phase) =>
        TaskRepository.Get(sql, id) ?? throw OrchestrationException.NotFound("task", id, phase);

    private static Subtask SubtaskOrThrow(Sql sql, string id, string phase) =>
        SubtaskRepository.Get(sql, id) ?? throw OrchestrationException.NotFound("subtask", id, phase);

    private static string Wire(TaskState status) => OrchestrationMapper.ToDb(status);
    private static string Wire(SubtaskStatus status) => OrchestrationMapper.ToDb(status);
}
