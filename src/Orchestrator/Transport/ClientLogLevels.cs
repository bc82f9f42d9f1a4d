using Microsoft.Extensions.Logging;

namespace Orchestrator.Transport;

/// <summary>The MCP logging levels (RFC 5424 severities, least severe first) and how .NET log levels map onto them.</summary>
internal static class ClientLogLevels
{
    private static readonly string[] Levels = ["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"];

    /// <summary>Position of <paramref name="level"/> in severity order; -1 when it is not an MCP level.</summary>
    public static int Rank(string? level) => level is null ? -1 : Array.IndexOf(Levels, level);

    public static string Of(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warning",
        LogLevel.Error => "error",
        _ => "critical",
    };
}
