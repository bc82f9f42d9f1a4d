namespace Orchestrator.Tests.Reliability;

/// <summary>What the server must answer to a fuzzed frame.</summary>
internal enum FuzzExpectation
{
    /// <summary>A JSON-RPC error answer carrying the frame's id.</summary>
    JsonRpcError,

    /// <summary>A tool result with <c>isError</c> and the seed's INVALID_PARAMETERS error.</summary>
    InvalidParameters,

    /// <summary>A JSON-RPC error with a null id: the frame could not be read far enough to know its id.</summary>
    ErrorWithoutId,

    /// <summary>No answer at all: a notification, or a response from the client.</summary>
    Nothing,
}

/// <summary>One fuzzed frame (without its newline), the id it carries when it is a readable request, and what it must get.</summary>
internal sealed record FuzzCase(int Number, string Kind, byte[] Frame, string? Id, FuzzExpectation Expect);
