using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Orchestrator.Reboot;

/// <summary>
/// Proves, before a restart execs a file, that the file can take over: it is started once as a child with the hidden flag
/// <see cref="Flag"/>, and must answer within a deadline, on one line of stdout, as an Orchestrator that reads the
/// snapshot format this image writes and knows a store schema at least as new as the store's. Anything else (another
/// program, a truncated binary, a release that cannot read what this one hands over, no answer in time) is the reason
/// the restart is refused, before anything changes.
/// <code>{"handover_probe":1,"name":"orchestrator","version":"1.2.0","reads_snapshot_formats":[1,2,3],"schema_version":2}</code>
/// </summary>
internal static class HandoverProbe
{
    public const string Flag = "--handover-probe";

    /// <summary>The longest a probe may take; a restart's own timeout may leave less.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    private const int MaxAnswerBytes = 4096;
    private const int MaxStderrBytes = 512;

    /// <summary>What an image started with <see cref="Flag"/> prints: who it is and what it can take over.</summary>
    public static string Answer(ImageIdentity identity)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("handover_probe"u8, 1);
            json.WriteString("name"u8, ImageIdentity.Name);
            json.WriteString("version"u8, identity.Version);
            json.WriteStartArray("reads_snapshot_formats"u8);
            for (var format = identity.OldestReadableSnapshotFormat; format <= identity.NewestReadableSnapshotFormat; format++) json.WriteNumberValue(format);
            json.WriteEndArray();
            json.WriteNumber("schema_version"u8, identity.SchemaVersion);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// Starts <paramref name="path"/> with <see cref="Flag"/> and judges its answer: null when it can take over from an
    /// image that writes snapshot format <paramref name="snapshotFormat"/> over a store at <paramref name="storeSchema"/>,
    /// else why not. <paramref name="timedOut"/> says the answer did not come in time (worth asking again later).
    /// </summary>
    public static async Task<(string? Problem, bool TimedOut)> AskAsync(string path, ushort snapshotFormat, int storeSchema, TimeSpan deadline,
        CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Flag);
        Process child;
        try
        {
            child = Process.Start(info) ?? throw new Win32Exception("no process");
        }
        catch (Win32Exception ex)
        {
            return ($"it could not be started: {ex.Message}", false);
        }
        using (child)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(deadline);
            child.StandardInput.Close();
            var output = ReadBoundedAsync(child.StandardOutput.BaseStream, MaxAnswerBytes, timeout.Token);
            var errors = ReadBoundedAsync(child.StandardError.BaseStream, MaxStderrBytes, timeout.Token);
            try
            {
                await child.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
                await Task.WhenAll(output, errors).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                try { child.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                return ($"it did not answer the handover probe within {deadline.TotalSeconds:0.###} s", true);
            }
            var stderr = FirstLine(errors.Result);
            var said = stderr.Length > 0 ? $" (stderr: {stderr})" : "";
            if (child.ExitCode != 0)
                return (child.ExitCode > 128
                    ? $"it died of signal {child.ExitCode - 128} when probed{said}"
                    : $"it exited with status {child.ExitCode} when probed, without answering{said}", false);
            return (Judge(output.Result, snapshotFormat, storeSchema), false);
        }
    }

    /// <summary>Why the answer does not come from an Orchestrator that can take over, or null.</summary>
    public static string? Judge(byte[] answer, ushort snapshotFormat, int storeSchema)
    {
        var line = FirstLine(answer);
        if (line.Length == 0) return "it exited without answering the handover probe: it is not an Orchestrator (or a release before the probe)";
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("handover_probe"u8, out _)
                || !root.TryGetProperty("name"u8, out var name) || name.ValueKind != JsonValueKind.String || name.GetString() != ImageIdentity.Name)
                return $"its answer is not an Orchestrator's: {Shorten(line)}";
            var version = root.TryGetProperty("version"u8, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : "an unknown version";
            if (!root.TryGetProperty("reads_snapshot_formats"u8, out var formats) || formats.ValueKind != JsonValueKind.Array
                || !formats.EnumerateArray().Any(f => f.ValueKind == JsonValueKind.Number && f.TryGetInt32(out var n) && n == snapshotFormat))
                return $"Orchestrator {version} cannot read snapshot format {snapshotFormat}, which this server writes";
            if (!root.TryGetProperty("schema_version"u8, out var schema) || !schema.TryGetInt32(out var known) || known < storeSchema)
                return $"Orchestrator {version} knows store schema {(schema.ValueKind == JsonValueKind.Number ? schema.ToString() : "none")}, older than the store's ({storeSchema})";
            return null;
        }
        catch (JsonException)
        {
            return $"its answer is not an Orchestrator's: {Shorten(line)}";
        }
    }

    private static async Task<byte[]> ReadBoundedAsync(Stream stream, int limit, CancellationToken cancellationToken)
    {
        var buffer = new byte[limit];
        var filled = 0;
        while (filled < limit)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (n == 0) break;
            filled += n;
        }
        return buffer[..filled];
    }

    private static string FirstLine(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var end = text.IndexOf('\n');
        return (end < 0 ? text : text[..end]).Trim();
    }

    private static string Shorten(string text) => text.Length <= 120 ? text : text[..120] + "…";
}
