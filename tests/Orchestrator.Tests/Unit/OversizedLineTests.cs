using System.Text;
using ModelContextProtocol.Protocol;
using Orchestrator.Transport;

namespace Orchestrator.Tests.Unit;

/// <summary>The id of a line too long to read, recovered from its first bytes when it names one before its large part.</summary>
public class OversizedLineTests
{
    private static RequestId? Recover(string start) => OversizedLine.RecoverId(Encoding.UTF8.GetBytes(start));

    [Test]
    public async Task A_numeric_or_string_id_before_the_large_part_is_found()
    {
        await Assert.That(Recover("""{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"arguments":{"x":"aaaa""")).IsEqualTo(new RequestId(7));
        await Assert.That(Recover("""{"jsonrpc":"2.0","method":"x","meta":{"a":[1,2]},"id":"req-9","params":"aaa""")).IsEqualTo(new RequestId("req-9"));
    }

    [Test]
    [Arguments("""{"jsonrpc":"2.0","method":"tools/call","params":{"arguments":{"x":"aaaa""")]
    [Arguments("""{"jsonrpc":"2.0","params":"aaaaaaaaaaaa""")]
    [Arguments("""not json at all""")]
    [Arguments("""[1,2,3""")]
    [Arguments("""{"id":{"nested":1},"params":"aaa""")]
    [Arguments("""{"id":"\ud800","params":"aaa""")]
    public async Task Without_a_usable_id_in_the_first_bytes_there_is_none(string start)
    {
        await Assert.That(Recover(start)).IsNull();
    }
}
