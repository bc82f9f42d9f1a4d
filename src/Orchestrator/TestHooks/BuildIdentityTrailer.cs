using System.Text;

namespace Orchestrator.TestHooks;

/// <summary>
/// <c>build-identity</c>: lets the test suite run one published binary as another release without a second NativeAOT
/// publish. The binary reads a trailer the test appended to a copy of its file,
/// <c>#orchestrator-test-build version=9.9.9-test snapshot-format=1</c>, from <c>/proc/self/exe</c>: the image actually
/// running, whatever file its path names by now. The version is what it reports; the snapshot format is what it writes
/// (and the newest it says it reads); <c>schema-version=N</c> is the store schema it says it knows. The last two are what
/// the handover probe answers, so that a copy can stand for an older release a restart must refuse to exec.
/// <c>tool-groups=reboot</c> makes it serve only those groups, as a release with other tools would (what a live upgrade
/// tells clients through <c>notifications/tools/list_changed</c>).
/// </summary>
internal sealed record BuildIdentityTrailer(string? Version, ushort? SnapshotFormat, int? SchemaVersion = null, IReadOnlySet<string>? ToolGroups = null)
{
    private const string Marker = "#orchestrator-test-build ";

    public static BuildIdentityTrailer Read()
    {
        string? version = null;
        ushort? format = null;
        int? schema = null;
        IReadOnlySet<string>? groups = null;
        foreach (var (key, value) in ReadPairs())
        {
            if (key == "version") version = value;
            else if (key == "snapshot-format" && ushort.TryParse(value, out var parsed)) format = parsed;
            else if (key == "schema-version" && int.TryParse(value, out var known)) schema = known;
            else if (key == "tool-groups") groups = value.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        }
        return new BuildIdentityTrailer(version, format, schema, groups);
    }

    private static IEnumerable<(string Key, string Value)> ReadPairs()
    {
        byte[] tail;
        try
        {
            using var image = File.OpenRead("/proc/self/exe");
            var length = (int)Math.Min(image.Length, 512);
            image.Seek(-length, SeekOrigin.End);
            tail = new byte[length];
            image.ReadExactly(tail);
        }
        catch (IOException)
        {
            return [];
        }
        var text = Encoding.ASCII.GetString(tail);
        var at = text.LastIndexOf(Marker, StringComparison.Ordinal);
        if (at < 0) return [];
        return text[(at + Marker.Length)..].Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2)).Where(pair => pair.Length == 2).Select(pair => (pair[0], pair[1]));
    }
}
