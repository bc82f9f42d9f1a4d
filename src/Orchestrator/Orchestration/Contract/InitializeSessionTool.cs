using Orchestrator.Tooling;

namespace Orchestrator.Orchestration.Contract;

[McpTool("orchestrator_initialize_session",
    Description = "Open or resume an orchestration session bound to a working directory; returns the orchestration guidance and the specialist roles available",
    Result = typeof(InitializeSessionResult), Group = "tasks", Idempotent = true)]
public sealed partial record InitializeSessionArgs
{
    [Describe("Absolute path of the project directory; defaults to the server's working directory")]
    public string? WorkingDirectory { get; init; }
}

public sealed partial record InitializeSessionResult
{
    public required string SessionId { get; init; }
    public required string WorkingDirectory { get; init; }

    [Describe("Whether an existing session for this directory was resumed")]
    public required bool Resumed { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    [Describe("Planned or in-progress tasks of this session")]
    public required int ActiveTasks { get; init; }

    [Describe("How to orchestrate work with these tools")]
    public required string Guidance { get; init; }

    [Describe("Specialist roles available to plans in this session")]
    public required IReadOnlyList<RoleInfo> Roles { get; init; }

    [Describe("The project's roles file, when it has one")]
    public string? RolesFile { get; init; }

    [Describe("Set when this answer was cut to fit the answer budget: what was cut and where to read the rest")]
    public string? Truncated { get; init; }
}

[McpModel]
public sealed partial record RoleInfo
{
    public required string Name { get; init; }
    public required string Description { get; init; }
    public required RoleSource Source { get; init; }
}

/// <summary>Where a role comes from: built in, added by the project, or a built-in role the project overrides.</summary>
public enum RoleSource
{
    BuiltIn,
    Project,
    ProjectOverride,
}
