using Orchestrator.Reboot;

namespace Orchestrator.TestHooks;

/// <summary>
/// <c>corrupt-snapshot</c> flips a payload byte, <c>truncate-snapshot</c> cuts the file in half, after the snapshot is
/// encoded and before it is written: the new image must refuse it (STATE_CORRUPTION) and start from durable state.
/// </summary>
internal sealed class SnapshotDamage(ISnapshotFile inner, SnapshotDamage.Kind damage) : ISnapshotFile
{
    [Flags]
    public enum Kind
    {
        None = 0,
        Corrupt = 1,
        Truncate = 2,
    }

    public static Kind From(IReadOnlySet<string> armed) =>
        (armed.Contains("corrupt-snapshot") ? Kind.Corrupt : Kind.None) | (armed.Contains("truncate-snapshot") ? Kind.Truncate : Kind.None);

    public void Write(string path, byte[] encoded)
    {
        if (damage.HasFlag(Kind.Corrupt)) encoded[^1] ^= 0x5A;
        if (damage.HasFlag(Kind.Truncate)) encoded = encoded[..(encoded.Length / 2)];
        inner.Write(path, encoded);
    }
}
