using System.Reflection;
using System.Text;

namespace Orchestrator.Tests.Generator;

/// <summary>
/// Compares generated files, byte for byte, with the expected files checked in under Generator/Snapshots of the
/// source tree (one per generated file, named after its hint name). A file that differs is written beside its
/// expected file as NAME.received.cs (ignored by git) for a diff tool; with ORCHESTRATOR_UPDATE_SNAPSHOTS=1 the
/// generated files become the expected ones instead.
/// </summary>
internal static class Snapshots
{
    private const string UpdateVariable = "ORCHESTRATOR_UPDATE_SNAPSHOTS";
    private const string ReceivedSuffix = ".received.cs";

    // UTF-8 without a byte order mark: the generator's text as it is, so that the comparison is of the generator's bytes.
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The source tree's snapshot directory, recorded at build time (the tests run from bin/, the snapshots live beside this file).</summary>
    public static string Directory { get; } = typeof(Snapshots).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "GeneratorSnapshotDirectory").Value!;

    private static bool Updating => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    /// <summary>Checks every generated file (hint name → text) against its snapshot; returns one readable problem per mismatch.</summary>
    public static IReadOnlyList<string> Verify(IReadOnlyDictionary<string, string> generated)
    {
        if (Updating) System.IO.Directory.CreateDirectory(Directory);
        if (!System.IO.Directory.Exists(Directory)) return [$"The snapshot directory {Directory} does not exist; run with {UpdateVariable}=1 to create it."];

        var problems = new List<string>();
        foreach (var (name, text) in generated.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var expectedPath = Path.Combine(Directory, name);
            var receivedPath = Path.Combine(Directory, Path.GetFileNameWithoutExtension(name) + ReceivedSuffix);
            var actual = Utf8.GetBytes(text);
            if (Updating)
            {
                File.WriteAllBytes(expectedPath, actual);
                File.Delete(receivedPath);
                continue;
            }
            if (File.Exists(expectedPath) && File.ReadAllBytes(expectedPath).AsSpan().SequenceEqual(actual))
            {
                File.Delete(receivedPath);
                continue;
            }
            File.WriteAllBytes(receivedPath, actual);
            var difference = File.Exists(expectedPath)
                ? $"{name} differs from its snapshot {FirstDifference(Utf8.GetString(File.ReadAllBytes(expectedPath)), text)}"
                : $"{name} has no snapshot ({expectedPath} is missing).";
            problems.Add($"{difference}\nThe generated text is in {receivedPath}; if the change is intended, run the tests with {UpdateVariable}=1 to accept it.");
        }

        foreach (var path in System.IO.Directory.GetFiles(Directory).Where(p => !p.EndsWith(ReceivedSuffix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            if (generated.ContainsKey(Path.GetFileName(path))) continue;
            if (Updating) File.Delete(path);
            else problems.Add($"{Path.GetFileName(path)} is a snapshot of a file the generator no longer emits; run the tests with {UpdateVariable}=1 to delete it.");
        }
        return problems;
    }

    /// <summary>"at line N" with both versions of the first line that differs (lines end at \n; \r and a BOM are shown).</summary>
    private static string FirstDifference(string expected, string actual)
    {
        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        for (var i = 0; ; i++)
        {
            var expectedLine = i < expectedLines.Length ? Show(expectedLines[i]) : "(end of file)";
            var actualLine = i < actualLines.Length ? Show(actualLines[i]) : "(end of file)";
            if (expectedLine != actualLine)
                return $"at line {i + 1}:\n  expected: {expectedLine}\n  actual:   {actualLine}";
        }
    }

    private static string Show(string line) => line.Replace("\r", "\\r").Replace("\uFEFF", "\\uFEFF");
}
