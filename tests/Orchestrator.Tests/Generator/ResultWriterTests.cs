using System.Text.Json;
using Orchestrator.Reboot.Contract;
using Orchestrator.Tooling;

namespace Orchestrator.Tests.Generator;

public class ResultWriterTests
{
    private static JsonElement Write(IJsonWritable value) => JsonDocument.Parse(ToolResults.Serialize(value.WriteJson)).RootElement;

    private static List<string> Keys(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToList();

    [Test]
    public async Task Null_properties_are_omitted_and_enums_are_snake_case()
    {
        var json = Write(new RestartServerResult { Success = true, Graceful = false, PreserveState = true, Phase = RestartAnswerPhase.MaintenanceMode });
        await Assert.That(Keys(json)).IsEquivalentTo(["success", "graceful", "preserve_state", "phase"]);
        await Assert.That(json.GetProperty("phase").GetString()).IsEqualTo("maintenance_mode");
        await Assert.That(json.GetProperty("graceful").GetBoolean()).IsFalse();
    }

    [Test]
    public async Task Dates_are_utc_iso_with_milliseconds_and_lists_are_arrays()
    {
        var completed = new DateTimeOffset(2025, 6, 6, 14, 0, 0, 123, TimeSpan.FromHours(2));
        var json = Write(new RestartServerResult
        {
            Success = false, Graceful = true, PreserveState = true, Phase = RestartAnswerPhase.PreparationFailed,
            CompletedAt = completed, Errors = ["a", "b"], Timeout = 30, Progress = 12.5, Pid = 42,
        });
        await Assert.That(json.GetProperty("completed_at").GetString()).IsEqualTo("2025-06-06T12:00:00.123Z");
        await Assert.That(json.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToList()).IsEquivalentTo(["a", "b"]);
        await Assert.That(json.GetProperty("timeout").GetInt32()).IsEqualTo(30);
        await Assert.That(json.GetProperty("progress").GetDouble()).IsEqualTo(12.5);
        await Assert.That(json.GetProperty("phase").GetString()).IsEqualTo("preparation_failed");
    }

    [Test]
    public async Task Nested_records_and_lists_of_records_are_written()
    {
        var json = Write(new RestartStatusResult
        {
            CurrentStatus = new CurrentRestartStatus { Phase = RestartPhase.Idle, Progress = 0, Message = "idle", MaintenanceMode = false },
            Timestamp = DateTimeOffset.UnixEpoch,
            History = new RestartHistory
            {
                TotalRestarts = 1,
                RecentRestarts = [new RestartRecord { Timestamp = DateTimeOffset.UnixEpoch, Reason = "manual_request", Success = true, Duration = 1.5 }],
            },
        });
        await Assert.That(json.GetProperty("timestamp").GetString()).IsEqualTo("1970-01-01T00:00:00.000Z");
        await Assert.That(json.GetProperty("current_status").GetProperty("phase").GetString()).IsEqualTo("idle");
        await Assert.That(Keys(json.GetProperty("current_status"))).IsEquivalentTo(["phase", "progress", "message", "maintenance_mode"]);
        var record = json.GetProperty("history").GetProperty("recent_restarts")[0];
        await Assert.That(Keys(record)).IsEquivalentTo(["timestamp", "reason", "success", "duration"]);
        await Assert.That(record.GetProperty("duration").GetDouble()).IsEqualTo(1.5);
    }

    [Test]
    public async Task Written_properties_are_declared_by_the_output_schema()
    {
        var result = new HealthCheckResult
        {
            Healthy = true, Timestamp = DateTimeOffset.UnixEpoch, ServerVersion = "0.1.0",
            Checks = new HealthChecks
            {
                Database = new DatabaseHealth { Connected = true, Status = "ok", ProbeMilliseconds = 0.25, Path = "/tmp/x.db" },
                Connections = new ConnectionHealth { ActiveConnections = 1, Status = "ok", Transport = "stdio" },
                RebootReadiness = new RebootReadiness { Ready = true, Issues = [] },
            },
        };
        var schema = JsonDocument.Parse(HealthCheckArgs.OutputSchemaUtf8.ToArray()).RootElement;
        var undeclared = new List<string>();
        Check("$", Write(result), schema, undeclared);
        await Assert.That(undeclared).IsEmpty();

        static void Check(string path, JsonElement value, JsonElement schema, List<string> undeclared)
        {
            if (value.ValueKind != JsonValueKind.Object) return;
            var properties = schema.GetProperty("properties");
            foreach (var property in value.EnumerateObject())
            {
                if (properties.TryGetProperty(property.Name, out var child)) Check($"{path}.{property.Name}", property.Value, child, undeclared);
                else undeclared.Add($"{path}.{property.Name}");
            }
        }
    }
}
