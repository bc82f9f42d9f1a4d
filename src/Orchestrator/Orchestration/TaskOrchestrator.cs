using System.Security.Cryptography;
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

    /// <summary>A call's change at <paramref name="now"/>: by <paramref name="actor"/> (a call that names none: <see cref="Actor.UnknownClient"/>).</summary>
    private static Change ChangeBy(Actor? actor, Sql sql, DateTimeOffset now, string phase) => new(sql, now, actor ?? Actor.Of(null, null), phase);

    /// <summary>Runs <paramref name="work"/> in one write transaction; the answer it describes is shaped after the commit.</summary>
    private ToolOutcome<T> Write<T>(string phase, Func<Sql, Func<AnswerShaper, T>> work) where T : IJsonWritable =>
        Guard(phase, () => _database.Write((c, t) => work(new Sql(c, t))));

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
