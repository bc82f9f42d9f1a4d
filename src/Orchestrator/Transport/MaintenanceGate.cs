using Orchestrator.Orchestration.Mcp;

namespace Orchestrator.Transport;

/// <summary>
/// Decides which incoming frames reach the MCP server while a restart runs. In maintenance mode the tools declared
/// allowed during maintenance (the reboot tools) and pings still pass (so a second restart is refused and status can be
/// watched); everything else is held and answered after the restart, by this image if it aborts or by the next image
/// from the snapshot. Once closed, every frame is held.
/// </summary>
/// <param name="allowedDuringMaintenance">Whether a call of the named tool passes in maintenance mode (<see cref="Tooling.ToolRules"/>).</param>
internal sealed class MaintenanceGate(Func<string, bool> allowedDuringMaintenance)
{
    private readonly Lock _lock = new();
    private readonly List<byte[]> _held = [];
    private GateMode _mode = GateMode.Open;

    public GateMode Mode { get { lock (_lock) return _mode; } }
    public int HeldCount { get { lock (_lock) return _held.Count; } }

    public void EnterMaintenance() { lock (_lock) _mode = GateMode.Maintenance; }
    public void Close() { lock (_lock) _mode = GateMode.Closed; }

    /// <summary>Reopens the gate and returns the held frames, in arrival order, to be dispatched again.</summary>
    public IReadOnlyList<byte[]> Open()
    {
        lock (_lock)
        {
            _mode = GateMode.Open;
            var held = _held.ToArray();
            _held.Clear();
            return held;
        }
    }

    /// <summary>Copies the held frames, newline-terminated, for the snapshot.</summary>
    public byte[] CopyHeldFrames()
    {
        lock (_lock)
        {
            var size = _held.Sum(f => f.Length + 1);
            var bytes = new byte[size];
            var offset = 0;
            foreach (var frame in _held)
            {
                frame.CopyTo(bytes, offset);
                offset += frame.Length;
                bytes[offset++] = (byte)'\n';
            }
            return bytes;
        }
    }

    /// <summary>Holds <paramref name="frame"/> when the gate does not let it pass; true when held.</summary>
    public bool TryHold(ReadOnlySpan<byte> frame, in FrameSummary summary)
    {
        lock (_lock)
        {
            var pass = _mode switch
            {
                GateMode.Open => true,
                GateMode.Maintenance => summary.PassesMaintenance(allowedDuringMaintenance),
                _ => false,
            };
            if (pass) return false;
            _held.Add(frame.ToArray());
            return true;
        }
    }
}

internal enum GateMode { Open, Maintenance, Closed }
