using System.Buffers;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using Orchestrator.Tooling;

namespace Orchestrator.Transport;

/// <summary>
/// Sends <c>notifications/progress</c> for a restart's phases straight to stdout, without the SDK's server object (which
/// may not exist: after an in-place restart the fast path serves alone until a client message needs the SDK).
/// </summary>
internal sealed class ProgressNotifier(StdoutChannel output)
{
    public void Progress(ProgressToken token, double progress, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc"u8, "2.0");
            writer.WriteString("method"u8, "notifications/progress");
            writer.WriteStartObject("params"u8);
            writer.WritePropertyName("progressToken"u8);
            JsonRpcIds.Write(writer, token);
            writer.WriteNumber("progress"u8, progress);
            writer.WriteNumber("total"u8, 100);
            writer.WriteString("message"u8, message);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        output.WriteFrame(buffer.WrittenSpan);
    }
}
