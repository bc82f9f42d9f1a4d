using Orchestrator.Orchestration.Answers;

namespace Orchestrator.Orchestration;

/// <summary>
/// Who made a change, as its history records it: the agent a call names, else the MCP client's name from its session
/// (stdio <c>clientInfo.name</c>, the HTTP session's), else <see cref="UnknownClient"/>. One function decides it, so
/// that a tool taking an <c>agent</c> argument feeds it here and every history row names its actor the same way.
/// </summary>
public readonly record struct Actor
{
    /// <summary>A name is kept to this many characters: an actor is a label, not a text.</summary>
    public const int MaxName = 200;

    /// <summary>A client that did not say its name: the same label a claim takes for it.</summary>
    public const string UnknownClient = TaskCaller.UnnamedClient;

    /// <summary>The server itself: a restart suspending and resuming work in progress.</summary>
    public static readonly Actor Server = new("orchestrator");

    private Actor(string name) => Name = name;

    public string Name { get; }

    /// <summary>The agent named by the call when it names one, else the client's name, else <see cref="UnknownClient"/>.</summary>
    public static Actor Of(string? agent, string? clientName) =>
        new(Bounded(agent) ?? Bounded(clientName) ?? UnknownClient);

    private static string? Bounded(string? name)
    {
        var trimmed = name?.Trim();
        return string.IsNullOrEmpty(trimmed) ? null : CodePoints.Prefix(trimmed, MaxName);
    }

    public override string ToString() => Name;
}
