using System.Diagnostics;

namespace Orchestrator.Hosting;

/// <summary>
/// Progress of long command-line work (seeding a benchmark's store, importing a large export, checking a large store)
/// on one stderr line rewritten in place, and only when stderr is a terminal: a pipe, a file or a test harness gets
/// nothing, so logs and captured output stay clean. At most ten updates a second.
/// </summary>
internal sealed class TerminalProgress : IDisposable
{
    private static readonly long Interval = Stopwatch.Frequency / 10;
    private readonly TextWriter? _writer;
    private readonly long _started = Stopwatch.GetTimestamp();
    private long _lastShown;
    private bool _lineOpen;

    /// <param name="writer">Where to write; null: stderr, when it is a terminal.</param>
    public TerminalProgress(TextWriter? writer = null) =>
        _writer = writer ?? (Console.IsErrorRedirected ? null : Console.Error);

    public bool Shown => _writer is not null;

    /// <summary>A count of a known total, e.g. tasks seeded; shown at most ten times a second, and always at the end.</summary>
    public void Count(string what, long done, long total)
    {
        if (_writer is null) return;
        var now = Stopwatch.GetTimestamp();
        if (done < total && now - _lastShown < Interval) return;
        _lastShown = now;
        var percent = total == 0 ? 100 : 100.0 * done / total;
        Write($"{what}: {done:N0} of {total:N0} ({percent:F0}%), {Stopwatch.GetElapsedTime(_started).TotalSeconds:F1} s");
    }

    /// <summary>A step of unknown length, e.g. "checking the store's integrity".</summary>
    public void Step(string what) => Write($"{what}…");

    private void Write(string line)
    {
        if (_writer is null) return;
        // Carriage return and erase-line: the one line is rewritten in place.
        _writer.Write("\r\u001b[K" + line);
        _writer.Flush();
        _lineOpen = true;
    }

    /// <summary>Clears the line, so what is printed next starts on a clean one.</summary>
    public void Dispose()
    {
        if (_writer is null || !_lineOpen) return;
        _writer.Write("\r\u001b[K");
        _writer.Flush();
        _lineOpen = false;
    }
}
