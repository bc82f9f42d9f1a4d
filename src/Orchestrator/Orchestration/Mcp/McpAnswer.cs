namespace Orchestrator.Orchestration.Mcp;

/// <summary>
/// The answer to one MCP request the <see cref="McpSurface"/> serves: the <c>result</c> object as JSON, or a JSON-RPC
/// error (code, message, and the URI concerned as <c>data.uri</c> when there is one). Each transport frames it its own way.
/// </summary>
internal readonly record struct McpAnswer(byte[]? Result, int Code, string? Message, string? Uri)
{
    /// <summary>JSON-RPC: the params are unusable (a malformed URI, a bad cursor, a missing argument).</summary>
    public const int InvalidParams = -32602;

    /// <summary>MCP through 2025-11-25: a well-formed URI that names nothing this server has (<see cref="NotFoundRevision"/>).</summary>
    public const int ResourceNotFound = -32002;

    public const int InternalError = -32603;

    public bool IsError => Result is null;

    public static McpAnswer Success(byte[] result) => new(result, 0, null, null);

    public static McpAnswer Invalid(string message, string? uri = null) => new(null, InvalidParams, message, uri);

    public static McpAnswer NotFound(string uri) => new(null, ResourceNotFound, $"Resource not found: {uri}", uri);

    public static McpAnswer Failure(string message) => new(null, InternalError, message, null);
}
