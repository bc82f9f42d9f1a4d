using System.Text.Json;
using ModelContextProtocol.Protocol;
using Orchestrator.Tooling;

namespace Orchestrator.Tests.Unit;

/// <summary>The seed's error format as written by <see cref="ToolError"/>, <see cref="ArgumentErrors"/> and <see cref="ToolResults"/>.</summary>
public class ToolErrorTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 4, 5, 6, 7, 89, TimeSpan.FromHours(2));

    private static JsonElement Json(ToolError error) =>
        JsonDocument.Parse(ToolResults.Serialize(w => error.WriteJson(w, Now))).RootElement.Clone();

    private static List<string> Keys(JsonElement e) => e.EnumerateObject().Select(p => p.Name).ToList();

    [Test]
    public async Task An_error_has_the_seed_fields_in_order()
    {
        var json = Json(new ToolError(ErrorCode.SystemNotReady, "Database unavailable", "preparation_failed"));
        await Assert.That(Keys(json)).IsEquivalentTo(["success", "error", "error_code", "phase", "timestamp"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(json.GetProperty("success").GetBoolean()).IsFalse();
        await Assert.That(json.GetProperty("error").GetString()).IsEqualTo("Database unavailable");
        await Assert.That(json.GetProperty("error_code").GetString()).IsEqualTo("SYSTEM_NOT_READY");
        await Assert.That(json.GetProperty("phase").GetString()).IsEqualTo("preparation_failed");
        await Assert.That(json.GetProperty("timestamp").GetString()).IsEqualTo("2025-03-04T03:06:07.089Z"); // UTC, milliseconds, Z
    }

    [Test]
    [Arguments(ErrorCode.InitializationFailed, "INITIALIZATION_FAILED")]
    [Arguments(ErrorCode.ShutdownInProgress, "SHUTDOWN_IN_PROGRESS")]
    [Arguments(ErrorCode.InvalidParameters, "INVALID_PARAMETERS")]
    [Arguments(ErrorCode.SystemNotReady, "SYSTEM_NOT_READY")]
    [Arguments(ErrorCode.TimeoutExceeded, "TIMEOUT_EXCEEDED")]
    [Arguments(ErrorCode.StateCorruption, "STATE_CORRUPTION")]
    [Arguments(ErrorCode.ProcessFailed, "PROCESS_FAILED")]
    [Arguments(ErrorCode.NotFound, "NOT_FOUND")]
    [Arguments(ErrorCode.InvalidState, "INVALID_STATE")]
    public async Task Every_code_has_its_wire_name(ErrorCode code, string wire)
    {
        await Assert.That(code.ToWire()).IsEqualTo(wire);
        await Assert.That(Json(new ToolError(code, "m", "failed")).GetProperty("error_code").GetString()).IsEqualTo(wire);
    }

    [Test]
    public async Task The_seven_reboot_codes_and_two_orchestration_codes_are_all_distinct()
    {
        var wires = Enum.GetValues<ErrorCode>().Select(c => c.ToWire()).ToList();
        await Assert.That(wires.Count).IsEqualTo(9);
        await Assert.That(wires.Distinct().Count()).IsEqualTo(9);
        await Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => ((ErrorCode)99).ToWire()).ParamName).IsEqualTo("code");
    }

    [Test]
    public async Task A_rate_limit_refusal_carries_retry_after_and_no_error_code()
    {
        var error = ToolError.RateLimited(42);
        await Assert.That(error.Code).IsNull();
        var json = Json(error);
        await Assert.That(Keys(json)).IsEquivalentTo(["success", "error", "phase", "retry_after", "timestamp"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(json.GetProperty("success").GetBoolean()).IsFalse();
        await Assert.That(json.GetProperty("error").GetString()).IsEqualTo("Rate limit exceeded");
        await Assert.That(json.GetProperty("phase").GetString()).IsEqualTo("rate_limited");
        await Assert.That(json.GetProperty("retry_after").GetInt32()).IsEqualTo(42);
        await Assert.That(json.TryGetProperty("error_code", out _)).IsFalse();
    }

    [Test]
    public async Task Details_are_written_as_an_errors_array_only_when_present()
    {
        var plain = Json(new ToolError(ErrorCode.ProcessFailed, "m", "failed"));
        await Assert.That(plain.TryGetProperty("errors", out _)).IsFalse();
        var detailed = Json(new ToolError(ErrorCode.ProcessFailed, "m", "failed") { Details = ["one", "two \"quoted\""] });
        await Assert.That(detailed.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToList())
            .IsEquivalentTo(["one", "two \"quoted\""], TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    public async Task One_invalid_field_is_named_in_the_message()
    {
        var errors = new ArgumentErrors();
        errors.Add("timeout", "must be between 10 and 300, got 5");
        var error = errors.ToToolError();
        await Assert.That(error.Code).IsEqualTo(ErrorCode.InvalidParameters);
        await Assert.That(error.Phase).IsEqualTo("validation");
        await Assert.That(error.Message).IsEqualTo("Invalid parameter timeout: must be between 10 and 300, got 5");
        await Assert.That(error.Details).IsEquivalentTo(["timeout: must be between 10 and 300, got 5"]);
    }

    [Test]
    public async Task Several_invalid_fields_are_all_listed()
    {
        var errors = new ArgumentErrors();
        errors.Add("timeout", "expected integer, got string");
        errors.Add("reason", "must be one of a, b (got \"c\")");
        errors.Add("subtasks[2].role", "is required");
        var json = Json(errors.ToToolError());
        var message = json.GetProperty("error").GetString();
        await Assert.That(message).IsEqualTo(
            "Invalid parameters (3): timeout: expected integer, got string; reason: must be one of a, b (got \"c\"); subtasks[2].role: is required");
        await Assert.That(json.GetProperty("error_code").GetString()).IsEqualTo("INVALID_PARAMETERS");
        await Assert.That(json.GetProperty("phase").GetString()).IsEqualTo("validation");
        await Assert.That(json.GetProperty("errors").GetArrayLength()).IsEqualTo(3);
    }

    [Test]
    public async Task The_tool_error_details_do_not_change_when_more_errors_are_added_later()
    {
        var errors = new ArgumentErrors();
        errors.Add("a", "x");
        var error = errors.ToToolError();
        errors.Add("b", "y");
        await Assert.That(error.Details.Count).IsEqualTo(1);
        await Assert.That(errors.Count).IsEqualTo(2);
    }

    [Test]
    public async Task An_error_result_is_flagged_and_has_only_the_text_block()
    {
        var result = ToolResults.ToResult(ToolError.RateLimited(7));
        await Assert.That(result.IsError == true).IsTrue();
        await Assert.That(result.StructuredContent).IsNull();
        await Assert.That(result.Content.Count).IsEqualTo(1);
        var text = ((TextContentBlock)result.Content[0]).Text;
        var json = JsonDocument.Parse(text).RootElement;
        await Assert.That(json.GetProperty("retry_after").GetInt32()).IsEqualTo(7);
        await Assert.That(json.GetProperty("phase").GetString()).IsEqualTo("rate_limited");
        await Assert.That(DateTimeOffset.Parse(json.GetProperty("timestamp").GetString()!)).IsGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    [Test]
    public async Task Non_ascii_and_quotes_stay_readable_in_the_text_block()
    {
        var result = ToolResults.ToResult(new ToolError(ErrorCode.StateCorruption, "snapshot <bad> «ü» \"x\"", "failed"));
        var text = ((TextContentBlock)result.Content[0]).Text;
        await Assert.That(text).Contains("snapshot <bad> «ü» \\\"x\\\"");
        await Assert.That(JsonDocument.Parse(text).RootElement.GetProperty("error").GetString()).IsEqualTo("snapshot <bad> «ü» \"x\"");
    }

    [Test]
    public async Task Past_the_errors_listed_the_rest_are_counted_and_the_total_is_said()
    {
        var errors = new ArgumentErrors();
        for (var i = 0; i < 250; i++) errors.Add($"items[{i}]", "bad");
        await Assert.That(errors.Count).IsEqualTo(250);
        await Assert.That(errors.Items.Count).IsEqualTo(ArgumentErrors.DefaultMaxListed);
        var error = errors.ToToolError();
        await Assert.That(error.Message).StartsWith("Invalid parameters (250): items[0]: bad; ");
        await Assert.That(error.Message).EndsWith("; and 150 more (first 100 of 250 listed)");
        await Assert.That(error.Details.Count).IsEqualTo(101);
        await Assert.That(error.Details[^1]).IsEqualTo("and 150 more (first 100 of 250 listed)");
    }

    [Test]
    public async Task Up_to_the_limit_every_error_is_listed_and_nothing_is_added()
    {
        var errors = new ArgumentErrors();
        for (var i = 0; i < ArgumentErrors.DefaultMaxListed; i++) errors.Add($"items[{i}]", "bad");
        var error = errors.ToToolError();
        await Assert.That(error.Details.Count).IsEqualTo(ArgumentErrors.DefaultMaxListed);
        await Assert.That(error.Message).DoesNotContain("more");
    }
}
