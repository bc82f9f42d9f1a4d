using System.Text.Json;
using Orchestrator.Reboot.Contract;
using Orchestrator.Tooling;

namespace Orchestrator.Tests.Generator;

public class ArgumentParsingTests
{
    private static Dictionary<string, JsonElement> Args(string json) =>
        JsonDocument.Parse(json).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());

    [Test]
    public async Task Null_arguments_give_the_declared_defaults()
    {
        var errors = new ArgumentErrors();
        var ok = RestartServerArgs.TryParse(null, out var args, errors);
        await Assert.That(ok).IsTrue();
        await Assert.That(errors.Count).IsEqualTo(0);
        await Assert.That(args).IsEqualTo(new RestartServerArgs());
        await Assert.That(args!.Timeout).IsEqualTo(30);
        await Assert.That(args.Reason).IsEqualTo(RestartReason.ManualRequest);
        await Assert.That(args.Graceful).IsTrue();
    }

    [Test]
    public async Task Given_values_override_defaults_and_others_keep_them()
    {
        var errors = new ArgumentErrors();
        var ok = RestartServerArgs.TryParse(Args("""{"timeout":120,"reason":"schema_migration","graceful":false}"""), out var args, errors);
        await Assert.That(ok).IsTrue();
        await Assert.That(args).IsEqualTo(new RestartServerArgs { Timeout = 120, Reason = RestartReason.SchemaMigration, Graceful = false, PreserveState = true });
    }

    [Test]
    public async Task Out_of_range_timeout_is_rejected()
    {
        var errors = new ArgumentErrors();
        var ok = RestartServerArgs.TryParse(Args("""{"timeout":5}"""), out var args, errors);
        await Assert.That(ok).IsFalse();
        await Assert.That(args).IsNull();
        await Assert.That(errors.Items).IsEquivalentTo(["timeout: must be between 10 and 300, got 5"]);
    }

    [Test]
    public async Task Bounds_are_inclusive()
    {
        var errors = new ArgumentErrors();
        await Assert.That(RestartServerArgs.TryParse(Args("""{"timeout":10}"""), out var low, errors)).IsTrue();
        await Assert.That(RestartServerArgs.TryParse(Args("""{"timeout":300}"""), out var high, errors)).IsTrue();
        await Assert.That(RestartServerArgs.TryParse(Args("""{"timeout":301}"""), out _, errors)).IsFalse();
        await Assert.That(low!.Timeout).IsEqualTo(10);
        await Assert.That(high!.Timeout).IsEqualTo(300);
    }

    [Test]
    public async Task Unknown_reason_lists_the_allowed_values()
    {
        var errors = new ArgumentErrors();
        var ok = RestartServerArgs.TryParse(Args("""{"reason":"bogus"}"""), out _, errors);
        await Assert.That(ok).IsFalse();
        await Assert.That(errors.Items).IsEquivalentTo([
            "reason: must be one of configuration_update, schema_migration, error_recovery, manual_request, emergency_shutdown (got \"bogus\")"]);
    }

    [Test]
    [Arguments("""{"timeout":"30"}""", "timeout: expected integer, got string")]
    [Arguments("""{"timeout":30.5}""", "timeout: expected integer, got 30.5")]
    [Arguments("""{"timeout":10000000000}""", "timeout: must be a 32-bit integer, got 10000000000")]
    [Arguments("""{"graceful":1}""", "graceful: expected boolean, got number")]
    [Arguments("""{"graceful":null}""", "graceful: expected boolean, got null")]
    [Arguments("""{"reason":3}""", "reason: expected string, got number")]
    [Arguments("""{"preserve_state":"true"}""", "preserve_state: expected boolean, got string")]
    [Arguments("""{"nope":true}""", "nope: unknown parameter")]
    public async Task Wrong_values_are_reported(string json, string expected)
    {
        var errors = new ArgumentErrors();
        var ok = RestartServerArgs.TryParse(Args(json), out var args, errors);
        await Assert.That(ok).IsFalse();
        await Assert.That(args).IsNull();
        await Assert.That(errors.Items).IsEquivalentTo([expected]);
    }

    [Test]
    public async Task Integral_number_written_with_a_fraction_is_accepted()
    {
        var errors = new ArgumentErrors();
        var ok = RestartServerArgs.TryParse(Args("""{"timeout":60.0}"""), out var args, errors);
        await Assert.That(ok).IsTrue();
        await Assert.That(args!.Timeout).IsEqualTo(60);
    }

    [Test]
    public async Task Every_bad_field_is_reported_at_once()
    {
        var errors = new ArgumentErrors();
        var ok = RestartServerArgs.TryParse(Args("""{"timeout":5,"reason":"bogus","graceful":"yes","extra":1}"""), out _, errors);
        await Assert.That(ok).IsFalse();
        await Assert.That(errors.Count).IsEqualTo(4);
        var fields = errors.Items.Select(e => e[..e.IndexOf(':')]).Order().ToList();
        await Assert.That(fields).IsEquivalentTo(["extra", "graceful", "reason", "timeout"]);
        await Assert.That(errors.ToToolError().Code).IsEqualTo(ErrorCode.InvalidParameters);
    }

    [Test]
    public async Task Nullable_string_accepts_null_and_text()
    {
        var errors = new ArgumentErrors();
        await Assert.That(ReconnectTestArgs.TryParse(Args("""{"session_id":null}"""), out var none, errors)).IsTrue();
        await Assert.That(none!.SessionId).IsNull();
        await Assert.That(ReconnectTestArgs.TryParse(Args("""{"session_id":"abc","include_buffer_status":false}"""), out var some, errors)).IsTrue();
        await Assert.That(some!.SessionId).IsEqualTo("abc");
        await Assert.That(some.IncludeBufferStatus).IsFalse();
        await Assert.That(some.IncludeReconnectionStats).IsTrue();
        await Assert.That(ReconnectTestArgs.TryParse(Args("""{"session_id":7}"""), out _, errors)).IsFalse();
        await Assert.That(errors.Items).IsEquivalentTo(["session_id: expected string, got number"]);
    }

    [Test]
    public async Task Defaults_of_the_other_tools()
    {
        var errors = new ArgumentErrors();
        await Assert.That(RestartStatusArgs.TryParse(null, out var status, errors)).IsTrue();
        await Assert.That(status!.IncludeHistory).IsFalse();
        await Assert.That(status.IncludeErrorDetails).IsTrue();
        await Assert.That(HealthCheckArgs.TryParse(new Dictionary<string, JsonElement>(), out var health, errors)).IsTrue();
        await Assert.That(health).IsEqualTo(new HealthCheckArgs());
        await Assert.That(ShutdownPrepareArgs.TryParse(Args("""{"check_active_tasks":false}"""), out var shutdown, errors)).IsTrue();
        await Assert.That(shutdown!.CheckActiveTasks).IsFalse();
        await Assert.That(shutdown.CheckDatabaseState).IsTrue();
    }

    [Test]
    public async Task Nested_reader_prefixes_fields_with_the_path()
    {
        var errors = new ArgumentErrors();
        var element = JsonDocument.Parse("""{"timeout":1,"what":0}""").RootElement;
        var ok = RestartServerArgs.TryRead(element, "subtasks[2]", out _, errors);
        await Assert.That(ok).IsFalse();
        await Assert.That(errors.Items).IsEquivalentTo([
            "subtasks[2].timeout: must be between 10 and 300, got 1",
            "subtasks[2].what: unknown parameter"]);
        await Assert.That(RestartServerArgs.TryRead(JsonDocument.Parse("[]").RootElement, "x", out _, errors)).IsFalse();
        await Assert.That(errors.Items[^1]).IsEqualTo("x: expected object, got array");
    }
}
