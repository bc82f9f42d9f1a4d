using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Orchestrator.Reboot.Contract;
using Orchestrator.Tooling;

namespace Orchestrator.Bench;

/// <summary>
/// The generated <c>RestartServerArgs.TryParse</c> on valid arguments, on none (all defaults) and on arguments with three
/// invalid fields (every one reported).
/// <para>
/// Baseline: a hand-written loop over the same dictionary that only reads the values (GetBoolean, GetInt32, GetString)
/// and builds the record, with no kind checks, range checks, unknown-key detection or error collection. It is the least
/// any parser of these arguments must do, so each ratio is the price of validation over merely reading. The null case
/// was not chosen as the baseline: it reads nothing (it allocates the default record and the error list), so a ratio
/// against it would mix the cost of reading JSON values with the cost of validating them. It is kept as its own row.
/// </para>
/// Each call allocates its own <see cref="ArgumentErrors"/>, as <c>ToolEndpoint.InvokeAsync</c> does.
/// </summary>
[MemoryDiagnoser]
public class ArgumentValidationBenchmarks
{
    private Dictionary<string, JsonElement> _valid = null!;
    private Dictionary<string, JsonElement> _invalid = null!;

    [GlobalSetup]
    public void Setup()
    {
        _valid = Arguments("""{"graceful":false,"preserve_state":true,"timeout":60,"reason":"configuration_update"}""");
        // Three bad fields: a string for a boolean, a timeout below its minimum of 10, a reason outside the enum.
        _invalid = Arguments("""{"graceful":"yes","preserve_state":true,"timeout":5,"reason":"reboot_now"}""");

        if (!RestartServerArgs.TryParse(_valid, out var parsed, new ArgumentErrors()) || parsed!.Timeout != 60)
            throw new InvalidOperationException("valid arguments did not parse");
        var errors = new ArgumentErrors();
        if (RestartServerArgs.TryParse(_invalid, out _, errors) || errors.Count != 3)
            throw new InvalidOperationException($"invalid arguments gave {errors.Count} errors, expected 3");
        if (HandRead().Timeout != 60) throw new InvalidOperationException("baseline read wrong values");
    }

    [Benchmark(Baseline = true, Description = "Hand-read values (no validation)")]
    public RestartServerArgs HandRead()
    {
        bool graceful = true, preserveState = true;
        var timeout = 30;
        var reason = RestartReason.ManualRequest;
        foreach (var (key, value) in _valid)
        {
            switch (key)
            {
                case "graceful": graceful = value.GetBoolean(); break;
                case "preserve_state": preserveState = value.GetBoolean(); break;
                case "timeout": timeout = value.GetInt32(); break;
                case "reason":
                    reason = value.GetString() switch
                    {
                        "configuration_update" => RestartReason.ConfigurationUpdate,
                        "schema_migration" => RestartReason.SchemaMigration,
                        "error_recovery" => RestartReason.ErrorRecovery,
                        "emergency_shutdown" => RestartReason.EmergencyShutdown,
                        _ => RestartReason.ManualRequest,
                    };
                    break;
            }
        }
        return new RestartServerArgs { Graceful = graceful, PreserveState = preserveState, Timeout = timeout, Reason = reason };
    }

    [Benchmark(Description = "TryParse valid")]
    public RestartServerArgs? TryParseValid()
    {
        RestartServerArgs.TryParse(_valid, out var value, new ArgumentErrors());
        return value;
    }

    [Benchmark(Description = "TryParse null (all defaults)")]
    public RestartServerArgs? TryParseDefaults()
    {
        RestartServerArgs.TryParse(null, out var value, new ArgumentErrors());
        return value;
    }

    [Benchmark(Description = "TryParse invalid (3 errors)")]
    public ArgumentErrors TryParseInvalid()
    {
        var errors = new ArgumentErrors();
        RestartServerArgs.TryParse(_invalid, out _, errors);
        return errors;
    }

    /// <summary>The arguments as the SDK hands them over: a dictionary of JsonElements that outlive their document.</summary>
    private static Dictionary<string, JsonElement> Arguments(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
    }
}
