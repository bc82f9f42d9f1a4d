using System.Net.Sockets;
using System.Text;

namespace Orchestrator.Http;

/// <summary>
/// The new image's answer to the restart call that the old image received over HTTP, written on the inherited
/// connection before Kestrel takes it over (the client sends nothing meanwhile: it is waiting for this very answer).
/// If the old image had begun the response as an event stream (status and headers sent, chunked body), the answer
/// is its last event (with its id in the kept stream, when there is one) and the stream's end; otherwise it is a whole response with a JSON body, which Streamable HTTP
/// also allows.
/// </summary>
internal static class PendingAnswer
{
    public static bool TryWrite(Socket socket, ReadOnlySpan<byte> jsonRpcMessage, bool continueStream, string? eventId = null)
    {
        var response = continueStream ? StreamEnd(jsonRpcMessage, eventId) : WholeResponse(jsonRpcMessage);
        try
        {
            socket.Blocking = true;
            var sent = 0;
            while (sent < response.Length) sent += socket.Send(response, sent, response.Length - sent, SocketFlags.None);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return false; // the client gave up; nothing to answer
        }
    }

    private static byte[] WholeResponse(ReadOnlySpan<byte> json)
    {
        var head = Encoding.ASCII.GetBytes(
            "HTTP/1.1 200 OK\r\n" +
            "Content-Type: application/json\r\n" +
            $"Content-Length: {json.Length}\r\n" +
            "Cache-Control: no-cache, no-store\r\n" +
            "\r\n");
        return [.. head, .. json];
    }

    /// <summary>One chunk holding the event <c>message</c> with the answer, then the chunked body's terminator.</summary>
    private static byte[] StreamEnd(ReadOnlySpan<byte> json, string? eventId)
    {
        var id = eventId is null ? [] : Encoding.ASCII.GetBytes($"id: {eventId}\n");
        byte[] evt = [.. "event: message\ndata: "u8, .. json, .. "\n"u8, .. id, .. "\n"u8];
        return [.. Encoding.ASCII.GetBytes($"{evt.Length:x}\r\n"), .. evt, .. "\r\n0\r\n\r\n"u8];
    }
}
