using Orchestrator.Tests.EndToEnd;

namespace Orchestrator.Tests.Http;

/// <summary>Malformed HTTP framing is the client's error: 400, the connection closed, the server serving on.</summary>
public sealed class MalformedRequestTests
{
    [Test]
    [Arguments("80000000")]          // just past 2^31: Kestrel's parser overflows
    [Arguments("FFFFFFFFFFFFFFFFFF")] // far past it
    [Arguments("ZZ")]                 // not hexadecimal
    public async Task A_bad_chunk_size_is_a_bad_request(string chunkSize)
    {
        using var data = new TempDirectory();
        await using var server = await HttpServerProcess.StartAsync(data.Path);
        using (var connection = await RawHttpConnection.OpenAsync(server.Url))
        {
            var head = connection.Head(0).Replace("Content-Length: 0\r\n", "Transfer-Encoding: chunked\r\n");
            await connection.SendRawAsync(head + chunkSize + "\r\n{}\r\n0\r\n\r\n");
            var (status, headers, _) = await connection.ReadResponseAsync();
            await Assert.That(status).IsEqualTo(400);
            await Assert.That(headers["connection"]).IsEqualTo("close");
        }
        await Assert.That(server.Stderr).DoesNotContain("An unhandled exception was thrown by the application");

        using var client = new McpHttpClient(server.Url);
        await client.InitializeAsync();
        await Assert.That(client.SessionId).IsNotNull();
    }
}
