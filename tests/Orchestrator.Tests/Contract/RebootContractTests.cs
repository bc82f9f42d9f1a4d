using System.Text.Json;
using Orchestrator.Tooling;

namespace Orchestrator.Tests.Contract;

/// <summary>The generated schemas of the five reboot tools against the contract derived from the seed (reboot-api.json).</summary>
public class RebootContractTests
{
    private static readonly JsonElement Spec =
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Contract", "reboot-api.json"))).RootElement;

    private static JsonElement SpecTool(string name) =>
        Spec.GetProperty("tools").EnumerateArray().Single(t => t.GetProperty("name").GetString() == name);

    private static ToolInfo Generated(string name) => GeneratedTools.All.Single(t => t.Name == name);

    [Test]
    public async Task The_reboot_group_is_exactly_the_seed_tools()
    {
        var seed = Spec.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("name").GetString()!).Order().ToList();
        var generated = GeneratedTools.All.Where(t => t.Group == "reboot").Select(t => t.Name).Order().ToList();
        await Assert.That(generated).IsEquivalentTo(seed);
    }

    [Test]
    [Arguments("orchestrator_restart_server")]
    [Arguments("orchestrator_health_check")]
    [Arguments("orchestrator_shutdown_prepare")]
    [Arguments("orchestrator_restart_status")]
    [Arguments("orchestrator_reconnect_test")]
    public async Task Description_is_the_listing_description_or_summary(string name)
    {
        var spec = SpecTool(name);
        var expected = spec.GetProperty("listing_description") is { ValueKind: JsonValueKind.String } listing
            ? listing.GetString()
            : spec.GetProperty("summary").GetString();
        await Assert.That(Generated(name).Description).IsEqualTo(expected);
        await Assert.That(Generated(name).Group).IsEqualTo("reboot");
    }

    [Test]
    [Arguments("orchestrator_restart_server")]
    [Arguments("orchestrator_health_check")]
    [Arguments("orchestrator_shutdown_prepare")]
    [Arguments("orchestrator_restart_status")]
    [Arguments("orchestrator_reconnect_test")]
    public async Task Input_schema_equals_the_contract(string name)
    {
        var expected = SpecTool(name).GetProperty("inputSchema");
        var actual = JsonDocument.Parse(Generated(name).InputSchema).RootElement;
        var problems = new List<string>();

        if (actual.GetProperty("type").GetString() != "object") problems.Add("type is not object");
        var expectedProperties = expected.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order().ToList();
        var actualProperties = actual.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order().ToList();
        if (!expectedProperties.SequenceEqual(actualProperties))
            problems.Add($"properties [{string.Join(",", actualProperties)}] != [{string.Join(",", expectedProperties)}]");
        foreach (var property in expected.GetProperty("properties").EnumerateObject())
        {
            if (!actual.GetProperty("properties").TryGetProperty(property.Name, out var generated)) continue;
            foreach (var key in new[] { "type", "default", "minimum", "maximum", "enum", "description", "format" })
                CompareKey(property.Name, key, property.Value, generated, problems, extraAllowed: false);
        }
        if (!actual.TryGetProperty("required", out var required) || required.ValueKind != JsonValueKind.Array)
            problems.Add("required is missing");
        else if (!JsonElement.DeepEquals(required, expected.GetProperty("required")))
            problems.Add($"required {required} != {expected.GetProperty("required")}");

        await Assert.That(problems).IsEmpty();
    }

    [Test]
    [Arguments("orchestrator_restart_server")]
    [Arguments("orchestrator_health_check")]
    [Arguments("orchestrator_shutdown_prepare")]
    [Arguments("orchestrator_restart_status")]
    [Arguments("orchestrator_reconnect_test")]
    public async Task Output_schema_contains_the_contract_response(string name)
    {
        var expected = SpecTool(name).GetProperty("responseSchema");
        var actual = JsonDocument.Parse(Generated(name).OutputSchema).RootElement;
        var problems = new List<string>();
        CompareObject("$", expected, actual, problems);

        var expectedRequired = expected.GetProperty("required").EnumerateArray().Select(e => e.GetString()).Order().ToList();
        var actualRequired = actual.GetProperty("required").EnumerateArray().Select(e => e.GetString()).Order().ToList();
        if (!expectedRequired.SequenceEqual(actualRequired))
            problems.Add($"required [{string.Join(",", actualRequired)}] != [{string.Join(",", expectedRequired)}]");

        await Assert.That(problems).IsEmpty();
    }

    [Test]
    public async Task Comparison_detects_a_differing_schema()
    {
        // The checker itself must be able to fail: a schema with a wrong bound and a missing property is reported.
        var expected = JsonDocument.Parse("""{"type":"object","properties":{"a":{"type":"integer","maximum":3},"b":{"type":"string"}}}""").RootElement;
        var actual = JsonDocument.Parse("""{"type":"object","properties":{"a":{"type":"integer","maximum":4}}}""").RootElement;
        var problems = new List<string>();
        CompareObject("$", expected, actual, problems);
        await Assert.That(problems.Count).IsEqualTo(2);
    }

    /// <summary>Every property the contract declares must exist with the same constraints; extra properties are additive.</summary>
    private static void CompareObject(string path, JsonElement expected, JsonElement actual, List<string> problems)
    {
        CompareKey(path, "type", expected, actual, problems, extraAllowed: false);
        if (expected.TryGetProperty("properties", out var properties))
        {
            if (!actual.TryGetProperty("properties", out var actualProperties))
            {
                problems.Add($"{path}: properties missing");
                return;
            }
            foreach (var property in properties.EnumerateObject())
            {
                var childPath = $"{path}.{property.Name}";
                if (!actualProperties.TryGetProperty(property.Name, out var generated))
                {
                    problems.Add($"{childPath}: missing");
                    continue;
                }
                foreach (var key in new[] { "enum", "minimum", "maximum", "format" })
                    CompareKey(childPath, key, property.Value, generated, problems, extraAllowed: false);
                CompareKey(childPath, "description", property.Value, generated, problems, extraAllowed: true);
                CompareObject(childPath, property.Value, generated, problems);
            }
        }
        if (expected.TryGetProperty("items", out var items))
        {
            if (actual.TryGetProperty("items", out var actualItems)) CompareObject(path + "[]", items, actualItems, problems);
            else problems.Add($"{path}: items missing");
        }
    }

    private static void CompareKey(string path, string key, JsonElement expected, JsonElement actual, List<string> problems, bool extraAllowed)
    {
        var has = expected.TryGetProperty(key, out var e);
        var hasActual = actual.TryGetProperty(key, out var a);
        if (has && !hasActual) problems.Add($"{path}: {key} missing (expected {e})");
        else if (!has && hasActual && !extraAllowed) problems.Add($"{path}: unexpected {key} {a}");
        else if (has && !JsonElement.DeepEquals(e, a)) problems.Add($"{path}: {key} {a} != {e}");
    }
}
