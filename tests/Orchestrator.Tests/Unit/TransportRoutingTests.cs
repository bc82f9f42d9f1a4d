using System.Text;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using Orchestrator.Orchestration.Mcp;
using Orchestrator.Tooling;
using Orchestrator.Transport;

namespace Orchestrator.Tests.Unit;

/// <summary>Frame classification from real JSON-RPC messages, the maintenance gate, and the in-flight request tracker.</summary>
public class TransportRoutingTests
{
    /// <summary>The maintenance rule as the tools declare it (<see cref="ToolRules.AllowedDuringMaintenance"/>).</summary>
    private static readonly Func<string, bool> DeclaredDuringMaintenance =
        name => GeneratedTools.All.Any(t => t.Name == name && t.Rules.AllowedDuringMaintenance);

    private static JsonRpcMessage Parse(string json) => JsonSerializer.Deserialize(json, McpJson.Message)!;

    /// <summary>Classified as the transport does it: through <see cref="IncomingFrame"/>.</summary>
    private static FrameSummary Summary(string json) =>
        (IncomingFrame.Parse(Encoding.UTF8.GetBytes(json), out var problem) ?? throw new InvalidOperationException(problem.Message)).Summary;

    private static string Call(string tool, int id = 1) =>
        "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool + "\",\"arguments\":{}}}";

    // ---- FrameSummary ----

    [Test]
    public async Task A_tools_call_request_carries_its_tool_name()
    {
        var s = Summary(Call("orchestrator_restart_server"));
        await Assert.That(s.Method).IsEqualTo("tools/call");
        await Assert.That(s.ToolName).IsEqualTo("orchestrator_restart_server");
        await Assert.That(s.IsRequest).IsTrue();
        await Assert.That(s.PassesMaintenance(DeclaredDuringMaintenance)).IsTrue();
    }

    [Test]
    [Arguments("orchestrator_restart_server")]
    [Arguments("orchestrator_health_check")]
    [Arguments("orchestrator_restart_status")]
    [Arguments("orchestrator_shutdown_prepare")]
    [Arguments("orchestrator_reconnect_test")]
    public async Task The_reboot_tools_pass_maintenance(string tool)
    {
        await Assert.That(Summary(Call(tool)).PassesMaintenance(DeclaredDuringMaintenance)).IsTrue();
    }

    [Test]
    [Arguments("orchestrator_test_sleep")]
    [Arguments("create_task")]
    [Arguments("ORCHESTRATOR_HEALTH_CHECK")]
    public async Task Other_tools_do_not_pass_maintenance(string tool)
    {
        var s = Summary(Call(tool));
        await Assert.That(s.ToolName).IsEqualTo(tool);
        await Assert.That(s.PassesMaintenance(DeclaredDuringMaintenance)).IsFalse();
    }

    [Test]
    public async Task A_tools_call_without_a_string_name_has_no_tool_and_does_not_pass_maintenance()
    {
        var numeric = Summary("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":42}}""");
        await Assert.That(numeric.ToolName).IsNull();
        await Assert.That(numeric.PassesMaintenance(DeclaredDuringMaintenance)).IsFalse();
        var missing = Summary("""{"jsonrpc":"2.0","id":2,"method":"tools/call"}""");
        await Assert.That(missing.ToolName).IsNull();
        await Assert.That(missing.PassesMaintenance(DeclaredDuringMaintenance)).IsFalse();
    }

    [Test]
    public async Task The_name_param_of_other_methods_is_not_a_tool_name()
    {
        var s = Summary("""{"jsonrpc":"2.0","id":1,"method":"prompts/get","params":{"name":"orchestrator_health_check"}}""");
        await Assert.That(s.Method).IsEqualTo("prompts/get");
        await Assert.That(s.ToolName).IsNull();
        await Assert.That(s.PassesMaintenance(DeclaredDuringMaintenance)).IsFalse();
    }

    [Test]
    public async Task Ping_request_passes_maintenance()
    {
        var s = Summary("""{"jsonrpc":"2.0","id":"p","method":"ping"}""");
        await Assert.That(s.IsRequest).IsTrue();
        await Assert.That(s.PassesMaintenance(DeclaredDuringMaintenance)).IsTrue();
    }

    [Test]
    [Arguments("""{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":3}}""", true)]
    [Arguments("""{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":"t","progress":1}}""", true)]
    [Arguments("""{"jsonrpc":"2.0","method":"notifications/initialized"}""", false)]
    [Arguments("""{"jsonrpc":"2.0","method":"notifications/roots/list_changed"}""", false)]
    public async Task Notifications_are_not_requests_and_only_cancel_and_progress_pass(string json, bool passes)
    {
        var s = Summary(json);
        await Assert.That(s.IsRequest).IsFalse();
        await Assert.That(s.Method).IsNotNull();
        await Assert.That(s.ToolName).IsNull();
        await Assert.That(s.PassesMaintenance(DeclaredDuringMaintenance)).IsEqualTo(passes);
    }

    [Test]
    [Arguments("""{"jsonrpc":"2.0","id":9,"result":{}}""")]
    [Arguments("""{"jsonrpc":"2.0","id":9,"error":{"code":-32601,"message":"nope"}}""")]
    public async Task Responses_have_no_method_and_pass(string json)
    {
        var s = Summary(json);
        await Assert.That(s.Method).IsNull();
        await Assert.That(s.IsRequest).IsFalse();
        await Assert.That(s.PassesMaintenance(DeclaredDuringMaintenance)).IsTrue();
    }

    [Test]
    [Arguments("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""")]
    [Arguments("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"c","version":"1"}}}""")]
    [Arguments("""{"jsonrpc":"2.0","id":1,"method":"resources/list"}""")]
    public async Task Other_requests_do_not_pass_maintenance(string json)
    {
        var s = Summary(json);
        await Assert.That(s.IsRequest).IsTrue();
        await Assert.That(s.PassesMaintenance(DeclaredDuringMaintenance)).IsFalse();
    }

    // ---- MaintenanceGate ----

    private static (byte[] Frame, FrameSummary Summary) Frame(string json) => (Encoding.UTF8.GetBytes(json), Summary(json));

    private static readonly string[] Mixed =
    [
        Call("orchestrator_restart_status", 1),
        """{"jsonrpc":"2.0","id":2,"method":"tools/list"}""",
        """{"jsonrpc":"2.0","id":3,"method":"ping"}""",
        Call("orchestrator_test_sleep", 4),
        """{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":4}}""",
        """{"jsonrpc":"2.0","method":"notifications/initialized"}""",
        """{"jsonrpc":"2.0","id":7,"result":{}}""",
        Call("orchestrator_restart_server", 8),
    ];

    [Test]
    public async Task An_open_gate_passes_everything()
    {
        var gate = new MaintenanceGate(DeclaredDuringMaintenance);
        await Assert.That(gate.Mode).IsEqualTo(GateMode.Open);
        foreach (var json in Mixed)
        {
            var (frame, summary) = Frame(json);
            await Assert.That(gate.TryHold(frame, summary)).IsFalse();
        }
        await Assert.That(gate.HeldCount).IsEqualTo(0);
    }

    [Test]
    public async Task Maintenance_passes_the_control_plane_and_holds_the_rest()
    {
        var gate = new MaintenanceGate(DeclaredDuringMaintenance);
        gate.EnterMaintenance();
        await Assert.That(gate.Mode).IsEqualTo(GateMode.Maintenance);
        var held = Mixed.Where(json => { var (f, s) = Frame(json); return gate.TryHold(f, s); }).ToList();
        await Assert.That(held).IsEquivalentTo([Mixed[1], Mixed[3], Mixed[5]], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(gate.HeldCount).IsEqualTo(3);
    }

    [Test]
    public async Task A_closed_gate_holds_everything()
    {
        var gate = new MaintenanceGate(DeclaredDuringMaintenance);
        gate.Close();
        await Assert.That(gate.Mode).IsEqualTo(GateMode.Closed);
        foreach (var json in Mixed)
        {
            var (frame, summary) = Frame(json);
            await Assert.That(gate.TryHold(frame, summary)).IsTrue();
        }
        await Assert.That(gate.HeldCount).IsEqualTo(Mixed.Length);
    }

    [Test]
    public async Task Open_returns_the_held_frames_in_arrival_order_and_empties_the_gate()
    {
        var gate = new MaintenanceGate(DeclaredDuringMaintenance);
        gate.Close();
        foreach (var json in Mixed) { var (f, s) = Frame(json); gate.TryHold(f, s); }
        var released = gate.Open();
        await Assert.That(gate.Mode).IsEqualTo(GateMode.Open);
        await Assert.That(released.Select(b => Encoding.UTF8.GetString(b)).ToList()).IsEquivalentTo(Mixed, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(gate.HeldCount).IsEqualTo(0);
        await Assert.That(gate.Open()).IsEmpty();
        var (frame, summary) = Frame(Mixed[1]);
        await Assert.That(gate.TryHold(frame, summary)).IsFalse();
    }

    [Test]
    public async Task CopyHeldFrames_newline_terminates_each_frame_and_keeps_them_held()
    {
        var gate = new MaintenanceGate(DeclaredDuringMaintenance);
        await Assert.That(gate.CopyHeldFrames()).IsEmpty();
        gate.EnterMaintenance();
        foreach (var json in Mixed) { var (f, s) = Frame(json); gate.TryHold(f, s); }
        var copy = Encoding.UTF8.GetString(gate.CopyHeldFrames());
        await Assert.That(copy).IsEqualTo(Mixed[1] + "\n" + Mixed[3] + "\n" + Mixed[5] + "\n");
        await Assert.That(gate.HeldCount).IsEqualTo(3);
    }

    [Test]
    public async Task A_held_frame_is_a_copy_of_the_callers_buffer()
    {
        var gate = new MaintenanceGate(DeclaredDuringMaintenance);
        gate.Close();
        var (frame, summary) = Frame(Mixed[1]);
        gate.TryHold(frame, summary);
        Array.Fill(frame, (byte)'x');
        await Assert.That(Encoding.UTF8.GetString(gate.Open()[0])).IsEqualTo(Mixed[1]);
    }

    // ---- RequestTracker ----

    private static readonly RequestId Restart = new(1);
    private static readonly RequestId Sleep = new("sleep-2");
    private static readonly RequestId List = new(3);

    [Test]
    public async Task Waiting_with_only_the_excepted_request_in_flight_completes_at_once()
    {
        var tracker = new RequestTracker();
        await Assert.That(tracker.WaitUntilOnlyAsync(Restart, CancellationToken.None).IsCompleted).IsTrue();
        tracker.Begin(Restart, "tools/call");
        await Assert.That(tracker.WaitUntilOnlyAsync(Restart, CancellationToken.None).IsCompleted).IsTrue();
    }

    [Test]
    public async Task Waiting_completes_only_once_every_other_request_completed()
    {
        var tracker = new RequestTracker();
        tracker.Begin(Restart, "tools/call");
        tracker.Begin(Sleep, "tools/call");
        tracker.Begin(List, "tools/list");
        var wait = tracker.WaitUntilOnlyAsync(Restart, CancellationToken.None);
        await Assert.That(wait.IsCompleted).IsFalse();

        await Assert.That(tracker.Complete(Sleep)).IsTrue();
        await Assert.That(tracker.Count).IsEqualTo(2);
        await Assert.That(tracker.WaitUntilOnlyAsync(Restart, CancellationToken.None).IsCompleted).IsFalse(); // List is still in flight
        await Assert.That(wait.IsCompleted).IsFalse();

        await Assert.That(tracker.Complete(List)).IsTrue();
        await wait.WaitAsync(TimeSpan.FromSeconds(10)); // a hang here is the failure
        await Assert.That(wait.IsCompletedSuccessfully).IsTrue();
        await Assert.That(tracker.Count).IsEqualTo(1);
    }

    [Test]
    public async Task Waiting_is_cancellable()
    {
        var tracker = new RequestTracker();
        tracker.Begin(Restart, "tools/call");
        tracker.Begin(Sleep, "tools/call");
        using var cts = new CancellationTokenSource();
        var wait = tracker.WaitUntilOnlyAsync(Restart, cts.Token);
        await Assert.That(wait.IsCompleted).IsFalse();
        cts.Cancel();
        await Assert.ThrowsAsync<OperationCanceledException>(() => wait);
        await Assert.That(tracker.Count).IsEqualTo(2);
    }

    [Test]
    public async Task Taken_over_requests_drop_their_late_answer_exactly_once()
    {
        var tracker = new RequestTracker();
        tracker.Begin(Restart, "tools/call");
        tracker.Begin(Sleep, "tools/call");
        tracker.Begin(List, "tools/list");

        var taken = tracker.TakeOverAllExcept(Restart);
        await Assert.That(taken.Select(t => t.Id)).IsEquivalentTo([Sleep, List]);
        await Assert.That(tracker.Count).IsEqualTo(1);
        await Assert.That(tracker.WaitUntilOnlyAsync(Restart, CancellationToken.None).IsCompleted).IsTrue();

        await Assert.That(tracker.Complete(Sleep)).IsFalse(); // the server's late answer: dropped
        await Assert.That(tracker.Complete(Sleep)).IsTrue();  // only once
        await Assert.That(tracker.Complete(List)).IsFalse();
        await Assert.That(tracker.Complete(Restart)).IsTrue();
        await Assert.That(tracker.Count).IsEqualTo(0);
        await Assert.That(tracker.TakeOverAllExcept(Restart)).IsEmpty();
    }

    [Test]
    public async Task Taking_over_leaves_the_excepted_request_tracked()
    {
        var tracker = new RequestTracker();
        tracker.Begin(Restart, "tools/call");
        await Assert.That(tracker.TakeOverAllExcept(Restart)).IsEmpty();
        await Assert.That(tracker.Count).IsEqualTo(1);
        await Assert.That(tracker.Complete(Restart)).IsTrue();
    }

    [Test]
    public async Task A_call_taken_over_before_its_handler_started_never_starts_and_is_reported_not_run()
    {
        var tracker = new RequestTracker();
        tracker.Begin(Restart, "tools/call", reportsStart: true);
        tracker.Begin(Sleep, "tools/call", reportsStart: true); // queued: its handler has not started
        tracker.Begin(List, "tools/call", reportsStart: true);
        await Assert.That(tracker.TryStart(List)).IsTrue();     // running
        var sdk = new RequestId("sdk");
        tracker.Begin(sdk, "initialize");                        // served by the SDK: its start is not followed

        var taken = tracker.TakeOverAllExcept(Restart).ToDictionary(t => t.Id, t => t.MayHaveRun);
        await Assert.That(taken[Sleep]).IsFalse();
        await Assert.That(taken[List]).IsTrue();
        await Assert.That(taken[sdk]).IsTrue();
        // The queued call's handler asks to start: refused, so it never runs; its empty answer clears the record once.
        await Assert.That(tracker.TryStart(Sleep)).IsFalse();
        await Assert.That(tracker.Complete(Sleep)).IsFalse();
        await Assert.That(tracker.TryStart(Sleep)).IsTrue();
    }

    [Test]
    public async Task Released_is_called_whenever_a_request_leaves_the_tracker()
    {
        var tracker = new RequestTracker();
        var released = 0;
        tracker.Released = () => released++;
        tracker.Begin(Restart, "tools/call");
        tracker.Begin(Sleep, "tools/call");
        tracker.Begin(List, "tools/call");
        tracker.Complete(List);
        await Assert.That(released).IsEqualTo(1);
        tracker.TakeOverAllExcept(Restart);
        await Assert.That(released).IsEqualTo(2);
        await Assert.That(tracker.Count).IsEqualTo(1);
    }

    [Test]
    public async Task An_answer_that_cannot_be_written_still_leaves_the_tracker()
    {
        var tracker = new RequestTracker();
        var released = 0;
        tracker.Released = () => released++;
        tracker.Begin(Sleep, "tools/call");
        Assert.Throws<IOException>(() => tracker.Finish(Sleep, () => throw new IOException("stdout closed")));
        await Assert.That(tracker.Count).IsEqualTo(0);
        await Assert.That(released).IsEqualTo(1);
    }

    [Test]
    public async Task String_and_numeric_ids_are_distinct()
    {
        var tracker = new RequestTracker();
        tracker.Begin(new RequestId(5), "a");
        tracker.Begin(new RequestId("5"), "b");
        await Assert.That(tracker.Count).IsEqualTo(2);
        tracker.Complete(new RequestId("5"));
        await Assert.That(tracker.Count).IsEqualTo(1);
        await Assert.That(tracker.WaitUntilOnlyAsync(new RequestId(5), CancellationToken.None).IsCompleted).IsTrue();
    }
}
