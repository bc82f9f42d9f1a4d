using System.Text.Json;
using Orchestrator.Tooling;

namespace Orchestrator.Tests.Unit;

/// <summary>How the tool runtime reads request_id: taken out of the arguments, checked, and the rest fingerprinted.</summary>
public class IdempotentRequestTests
{
    private static IReadOnlyDictionary<string, JsonElement>? Arguments(string json) =>
        JsonDocument.Parse(json).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());

    [Test]
    public async Task The_request_id_is_taken_out_and_the_same_call_spelled_otherwise_has_the_same_fingerprint()
    {
        var errors = new ArgumentErrors();
        var first = Arguments("""{"request_id":"r-1","b":{"y":1,"x":[1,"\u0041"]},"a":"t"}""");
        var request = IdempotentRequest.Read("tool", ref first, errors);
        var second = Arguments("""{ "a" : "t", "b":{"x":[1,"A"],"y":1}, "request_id":"r-1"}""");
        var again = IdempotentRequest.Read("tool", ref second, errors);
        await Assert.That(errors.Count).IsEqualTo(0);
        await Assert.That(first!.ContainsKey("request_id")).IsFalse();
        await Assert.That(request!.RequestId).IsEqualTo("r-1");
        await Assert.That(again!.Fingerprint).IsEqualTo(request.Fingerprint);
        var other = Arguments("""{"request_id":"r-1","a":"u","b":{"x":[1,"A"],"y":1}}""");
        await Assert.That(IdempotentRequest.Read("tool", ref other, errors)!.Fingerprint).IsNotEqualTo(request.Fingerprint);
    }

    [Test]
    [Arguments("""{"request_id":7}""")]
    [Arguments("""{"request_id":""}""")]
    [Arguments("""{"request_id":"   "}""")]
    [Arguments("""{"request_id":"\ud800"}""")]
    public async Task A_bad_request_id_is_a_bad_argument(string json)
    {
        var errors = new ArgumentErrors();
        var arguments = Arguments(json);
        await Assert.That(IdempotentRequest.Read("tool", ref arguments, errors)).IsNull();
        await Assert.That(errors.Count).IsEqualTo(1);
        await Assert.That(errors.ToToolError().Message).Contains("request_id");
    }

    [Test]
    public async Task An_argument_that_is_not_valid_unicode_is_fingerprinted_not_thrown_on()
    {
        var errors = new ArgumentErrors();
        var arguments = Arguments("""{"request_id":"r","title":"\udc00"}""");
        await Assert.That(IdempotentRequest.Read("tool", ref arguments, errors)).IsNotNull();
        await Assert.That(errors.Count).IsEqualTo(0);
    }

    [Test]
    public async Task A_call_without_a_request_id_keeps_its_arguments()
    {
        var errors = new ArgumentErrors();
        var arguments = Arguments("""{"a":1}""");
        var before = arguments;
        await Assert.That(IdempotentRequest.Read("tool", ref arguments, errors)).IsNull();
        await Assert.That(ReferenceEquals(arguments, before)).IsTrue();
    }
}
