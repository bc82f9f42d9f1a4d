using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Orchestrator.Tooling;

namespace Orchestrator.Transport;

/// <summary>
/// Sends this server's log messages to the client as MCP <c>notifications/message</c>, once the client asked for
/// them with <c>logging/setLevel</c> and only from that level up. The level is part of the session, so it survives
/// an in-place restart.
/// </summary>
internal sealed class ClientLogForwarder(ClientSession session, StdoutChannel output)
{
    public bool Wants(LogLevel level)
    {
        var wanted = ClientLogLevels.Rank(session.LoggingLevel);
        return wanted >= 0 && level != LogLevel.None && ClientLogLevels.Rank(ClientLogLevels.Of(level)) >= wanted;
    }

    public void Send(LogLevel level, string category, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, ToolResults.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc"u8, "2.0");
            writer.WriteString("method"u8, "notifications/message");
            writer.WriteStartObject("params"u8);
            writer.WriteString("level"u8, ClientLogLevels.Of(level));
            writer.WriteString("logger"u8, category);
            writer.WriteString("data"u8, message);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        output.WriteFrame(buffer.WrittenSpan);
    }
}
