namespace Orchestrator.Tests.Generator;

/// <summary>Tool declarations the generator tests run the generator on (<see cref="GeneratorHarness.Usings"/> goes before each).</summary>
internal static class GeneratorSources
{
    /// <summary>
    /// One tool with what arguments use: an enum with an alias, a nested record in a list, an array (with a declared
    /// bound, the others with the default one), nullable values, bounds, defaults, a DateTimeOffset, an escaped
    /// description and declared rules.
    /// </summary>
    public const string Good = """
        public enum Role { Worker, LeadReviewer, Lead = LeadReviewer }

        [McpTool("demo_plan", Description = "Plan \"quoted\" \\ work\nacross lines", Result = typeof(PlanResult), Group = "tasks",
            PerMinute = 3, AllowedDuringMaintenance = true)]
        public sealed partial record PlanArgs
        {
            [Describe("Title of the plan")] public required string Title { get; init; }
            [Describe("Steps")] public IReadOnlyList<Subtask> Subtasks { get; init; } = [];
            [Describe("Budget", Minimum = 1)] public long? Budget { get; init; }
            public float Ratio { get; init; } = 0.5f;
            public DateTimeOffset? Due { get; init; }
            [Describe("Labels", MaxItems = 3)] public string[]? Tags { get; init; }
            public Role Lead { get; init; } = Role.LeadReviewer;
        }

        public sealed partial record Subtask
        {
            public required Role Role { get; init; }
            [Describe("Weight", Minimum = 0, Maximum = 1)] public double Weight { get; init; } = 1;
        }

        public sealed partial record PlanResult
        {
            public required IReadOnlyList<Subtask> Accepted { get; init; }
            public List<int>? Counts { get; init; }
            public Role? Lead { get; init; }
        }
        """;

    /// <summary>
    /// <see cref="Good"/> and a second tool that adds what it lacks: arrays of arrays, a record nested in a class, a
    /// list of nullable enums, an <c>[McpModel]</c> also reached from a result, and a tool without rules.
    /// </summary>
    public const string Snapshot = Good + """

        [McpTool("demo_archive", Description = "Archive finished plans", Result = typeof(Shelf.ArchiveResult), Group = "tasks")]
        public sealed partial record ArchiveArgs
        {
            [Describe("Batches of plan titles")] public required IReadOnlyList<string[]> Batches { get; init; }
            public int[][]? Grid { get; init; }
            public bool Verbose { get; init; }
            [Describe("Days to keep", Minimum = 1, Maximum = 3650)] public int RetentionDays { get; init; } = 30;
        }

        public static partial class Shelf
        {
            public sealed partial record ArchiveResult
            {
                public required Note[] Notes { get; init; }
                public List<Role?>? Roles { get; init; }
                public long Archived { get; init; }
            }
        }

        [McpModel]
        public sealed partial record Note
        {
            public string? Text { get; init; }
            public DateTimeOffset At { get; init; }
        }
        """;
}
