namespace Orchestrator.Tests.Architecture;

/// <summary>What <see cref="LayeringChecker"/> found.</summary>
/// <param name="Violations">The uses that break the layering, sorted by file and line.</param>
/// <param name="Unresolved">Names spelled like one of the compilation's own symbols that bound to nothing
/// ("file:line: name"): a use behind them would go unseen, so a trustworthy check has none.</param>
internal sealed record LayeringReport(IReadOnlyList<LayerViolation> Violations, IReadOnlyList<string> Unresolved);
