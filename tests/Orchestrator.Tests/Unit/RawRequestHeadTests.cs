using System.Text;
using Orchestrator.Http;

namespace Orchestrator.Tests.Unit;

/// <summary>
/// The request heads the HTTP front reads before the host exists: complete ones with their fields, incomplete ones
/// waited for, and anything unusual left to Kestrel (unusable) rather than read leniently.
/// </summary>
public sealed class RawRequestHeadTests
{
    private const string Post = "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nContent-Type: application/json\r\nmcp-session-id:  abc \r\nContent-Length: 2\r\n\r\n{}";

    [Test]
    public async Task A_complete_head_gives_its_request_line_its_fields_by_any_case_and_where_the_body_begins()
    {
        var status = RawRequestHead.TryRead(Encoding.ASCII.GetBytes(Post), out var head);
        await Assert.That(status).IsEqualTo(RawHeadStatus.Complete);
        await Assert.That(head!.Method).IsEqualTo("POST");
        await Assert.That(head.Target).IsEqualTo("/mcp");
        await Assert.That(head.Version).IsEqualTo("HTTP/1.1");
        await Assert.That(head["Mcp-Session-Id"]).IsEqualTo("abc");
        await Assert.That(head["content-length"]).IsEqualTo("2");
        await Assert.That(head["Authorization"]).IsNull();
        await Assert.That(head.Length).IsEqualTo(Post.Length - 2);
    }

    [Test]
    public async Task A_head_not_fully_arrived_is_waited_for_until_it_passes_the_bound()
    {
        foreach (var cut in new[] { 0, 10, Post.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 3 })
            await Assert.That(RawRequestHead.TryRead(Encoding.ASCII.GetBytes(Post[..cut]), out _)).IsEqualTo(RawHeadStatus.Incomplete);
        var endless = Encoding.ASCII.GetBytes("POST /mcp HTTP/1.1\r\nX-Long: " + new string('a', RawRequestHead.MaxBytes));
        await Assert.That(RawRequestHead.TryRead(endless, out _)).IsEqualTo(RawHeadStatus.Unusable);
    }

    [Test]
    [Arguments("POST /mcp HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n")]
    [Arguments("POST /mcp HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n")]
    [Arguments("POST  /mcp HTTP/1.1\r\n\r\n")]
    [Arguments("POST /mcp\r\n\r\n")]
    [Arguments("POST /mcp HTTP/1.1\r\nBad Name: x\r\n\r\n")]
    [Arguments("POST /mcp HTTP/1.1\r\nNoColon\r\n\r\n")]
    [Arguments("POST /mcp HTTP/1.1\r\nX: a\u0001b\r\n\r\n")]
    public async Task Anything_unusual_is_left_to_Kestrel(string text)
    {
        await Assert.That(RawRequestHead.TryRead(Encoding.Latin1.GetBytes(text), out var head)).IsEqualTo(RawHeadStatus.Unusable);
        await Assert.That(head).IsNull();
    }
}
