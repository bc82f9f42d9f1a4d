using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Orchestrator.Benchmarks;

/// <summary>A bare MCP-over-stdio client for the benchmark: one request at a time, answers matched by id.</summary>
internal sealed class BenchClient : IDisposable
{
    private readonly Process _process;
    private readonly Stream _stdin;
    private readonly StreamReader _stdout;
    private long _nextId;

    private readonly int _firstPid;

    private BenchClient(Process process)
    {
        _process = process;
        _firstPid = process.Id;
        _stdin = process.StandardInput.BaseStream;
        // A pipe holds 64 KB: read it in pieces that size, so a large answer is not taken 4 KB at a time.
        _stdout = new StreamReader(process.StandardOutput.BaseStream, new UTF8Encoding(false), false, 64 * 1024);
    }

    public int Pid => _process.Id;

    public static BenchClient Start(string binary, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(binary)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["ORCHESTRATOR_RATE_LIMITS"] = "off";
        // Test-only hooks of the caller's environment must not leak into what is measured.
        info.Environment.Remove("ORCHESTRATOR_TEST_HOOKS");
        info.Environment["ORCHESTRATOR_LOG_LEVEL"] = "warning";
        return new BenchClient(Process.Start(info) ?? throw new InvalidOperationException($"cannot start {binary}"));
    }

    public void WriteLine(string line) => WriteRaw(Encoding.UTF8.GetBytes(line + "\n"));

    public void WriteRaw(byte[] frame)
    {
        _stdin.Write(frame);
        _stdin.Flush();
    }

    public string ReadLine() => _stdout.ReadLine() ?? throw new EndOfStreamException("the server closed its stdout");

    /// <summary>
    /// When the last answer <see cref="Request"/> returned had been read (a <see cref="Stopwatch"/> timestamp), before the
    /// client parsed it: a benchmark timing a large answer measures the server, not this client's JSON parser.
    /// </summary>
    public long LastAnswerReadAt { get; private set; }

    /// <summary>Sends a request and reads until its answer (skipping notifications); returns the answer line.</summary>
    public string Request(string method, string paramsJson = "{}")
    {
        var id = ++_nextId;
        WriteLine($$"""{"jsonrpc":"2.0","id":{{id}},"method":"{{method}}","params":{{paramsJson}}}""");
        while (true)
        {
            var line = ReadLine();
            LastAnswerReadAt = Stopwatch.GetTimestamp();
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.TryGetProperty("id"u8, out var answered) && answered.ValueKind == JsonValueKind.Number &&
                answered.GetInt64() == id)
            {
                if (document.RootElement.TryGetProperty("error"u8, out var error))
                    throw new InvalidOperationException($"{method} failed: {error.GetRawText()}");
                return line;
            }
        }
    }

    public string CallTool(string name, string argumentsJson = "{}") =>
        Request("tools/call", $$"""{"name":"{{name}}","arguments":{{argumentsJson}}}""");

    /// <summary>Calls a tool and returns its structuredContent; a tool error is an exception (a benchmark's calls must succeed).</summary>
    public JsonElement CallToolStructured(string name, string argumentsJson = "{}")
    {
        var answer = CallTool(name, argumentsJson);
        using var document = JsonDocument.Parse(answer);
        var result = document.RootElement.GetProperty("result");
        if (result.TryGetProperty("isError", out var isError) && isError.GetBoolean()) throw new InvalidOperationException($"{name} failed: {answer}");
        return result.GetProperty("structuredContent").Clone();
    }

    public void Initialize()
    {
        Request("initialize", """{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"orchestrator-bench","version":"1"}}""");
        WriteLine("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");
    }

    /// <summary>Whether the server still runs as the process first started (restarts keep the PID).</summary>
    public bool IsRunningUnderItsFirstPid() => !_process.HasExited && _process.Id == _firstPid && File.Exists($"/proc/{_firstPid}/status");

    /// <summary>Resident set size of the server process, from /proc.</summary>
    public long ResidentKilobytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim());
        return -1;
    }

    /// <summary>
    /// Closes the server's stdin, as its client going away does, and waits for it to exit: its exit status, or null when
    /// it did not exit within <paramref name="timeout"/> (it is then killed).
    /// </summary>
    public int? Close(TimeSpan timeout)
    {
        try { _stdin.Close(); } catch (IOException) { }
        if (_process.WaitForExit(timeout)) return _process.ExitCode;
        Kill();
        return null;
    }

    /// <summary>Kills the server; a read blocked on its stdout then ends.</summary>
    public void Kill()
    {
        try { _process.Kill(); } catch (InvalidOperationException) { /* already exited */ }
        _process.WaitForExit();
    }

    public void Dispose()
    {
        try { _stdin.Close(); } catch (IOException) { }
        if (!_process.WaitForExit(10_000)) _process.Kill();
        _process.Dispose();
    }
}
