using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// A minimal MCP client over the real pipes of a spawned server: newline-delimited JSON-RPC, requests matched to
/// answers by id, every answer counted so that tests can prove each request was answered exactly once.
/// </summary>
internal sealed class McpStdioClient : IAsyncDisposable
{
    /// <summary>A guard against a hung server, not a synchronisation device: answers normally take milliseconds.</summary>
    public static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly Stream _stdin;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonObject>> _pending = new();
    private readonly ConcurrentDictionary<string, int> _answerCounts = new();
    private readonly ConcurrentQueue<JsonObject> _notifications = new();
    private readonly StringBuilder _stderr = new();
    private readonly Task _readLoop;
    private long _nextId;
    private long _arrivals;
    private readonly ConcurrentDictionary<string, long> _arrivalOrder = new();
    private readonly List<(Func<JsonObject, bool> Match, TaskCompletionSource<JsonObject> Waiter)> _notificationWaiters = [];
    private readonly List<(string Text, TaskCompletionSource<string> Waiter)> _stderrWaiters = [];

    private McpStdioClient(Process process)
    {
        _process = process;
        _stdin = process.StandardInput.BaseStream;
        _readLoop = Task.Run(ReadLoopAsync);
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) OnStderrLine(e.Data); };
        process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    /// <summary>The size of the pipe the server's stdout writes into, read on this (the reading) end with F_GETPIPE_SZ.</summary>
    public int StdoutPipeBytes()
    {
        var handle = ((System.IO.Pipes.PipeStream)_process.StandardOutput.BaseStream).SafePipeHandle;
        return Orchestrator.Native.Libc.fcntl((int)handle.DangerousGetHandle(), Orchestrator.Native.Libc.F_GETPIPE_SZ, 0);
    }
    public bool HasExited => _process.HasExited;
    public IReadOnlyCollection<JsonObject> Notifications => _notifications;
    public IReadOnlyDictionary<string, int> AnswerCounts => _answerCounts;

    /// <summary>The position at which each answer arrived (1 for the first answer read from stdout).</summary>
    public IReadOnlyDictionary<string, long> ArrivalOrder => _arrivalOrder;

    /// <summary>Completes with the first notification (already received or still to come) that <paramref name="match"/> accepts.</summary>
    public Task<JsonObject> WaitForNotificationAsync(Func<JsonObject, bool> match)
    {
        var waiter = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_notificationWaiters)
        {
            var seen = _notifications.FirstOrDefault(match);
            if (seen is not null) return Task.FromResult(seen);
            _notificationWaiters.Add((match, waiter));
        }
        return waiter.Task.WaitAsync(AnswerTimeout);
    }
    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    /// <summary>Completes with the first stderr line (already written or still to come) containing <paramref name="text"/>.</summary>
    public Task<string> WaitForStderrAsync(string text)
    {
        var waiter = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_stderr)
        {
            var seen = _stderr.ToString().Split('\n').FirstOrDefault(line => line.Contains(text, StringComparison.Ordinal));
            if (seen is not null) return Task.FromResult(seen);
            _stderrWaiters.Add((text, waiter));
        }
        return waiter.Task.WaitAsync(AnswerTimeout);
    }

    private void OnStderrLine(string line)
    {
        lock (_stderr)
        {
            _stderr.AppendLine(line);
            foreach (var matched in _stderrWaiters.Where(w => line.Contains(w.Text, StringComparison.Ordinal)).ToArray())
            {
                matched.Waiter.TrySetResult(line);
                _stderrWaiters.Remove(matched);
            }
        }
    }

    /// <summary>Lines on stdout that were not JSON-RPC messages (there must be none: stdout is the MCP channel).</summary>
    public List<string> ForeignLines { get; } = [];

    public static McpStdioClient Start(string dataDirectory, IDictionary<string, string>? environment = null, string? binary = null,
        params string[] extraArgs) =>
        StartCommand(binary ?? PublishedBinary.Path, new[] { "--data-dir", dataDirectory }.Concat(extraArgs), environment);

    /// <summary>Starts the server through any command (e.g. <c>chroot ROOT /orchestrator …</c>), rate limits lifted unless overridden.</summary>
    public static McpStdioClient StartCommand(string command, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        var info = ServerStartInfo(command, arguments, environment);
        return new McpStdioClient(Process.Start(info) ?? throw new InvalidOperationException($"cannot start {command}"));
    }

    /// <summary>How tests start a server: every stream redirected, rate limits lifted unless <paramref name="environment"/> says otherwise.</summary>
    public static ProcessStartInfo ServerStartInfo(string command, IEnumerable<string> arguments, IDictionary<string, string>? environment)
    {
        var info = new ProcessStartInfo(command)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in arguments) info.ArgumentList.Add(arg);
        info.Environment["ORCHESTRATOR_RATE_LIMITS"] = "off";
        if (environment is not null)
            foreach (var (key, value) in environment) info.Environment[key] = value;
        return info;
    }

    /// <summary>Starts the server and completes the MCP handshake.</summary>
    public static async Task<McpStdioClient> StartInitializedAsync(string dataDirectory, IDictionary<string, string>? environment = null,
        string? binary = null)
    {
        var client = Start(dataDirectory, environment, binary);
        await client.InitializeAsync();
        return client;
    }

    public async Task<JsonObject> InitializeAsync(string protocolVersion = "2025-11-25", string clientName = "e2e-test-client")
    {
        var result = await RequestAsync("initialize", new JsonObject
        {
            ["protocolVersion"] = protocolVersion,
            ["capabilities"] = new JsonObject(),
            ["clientInfo"] = new JsonObject { ["name"] = clientName, ["version"] = "1.0" },
        });
        await NotifyAsync("notifications/initialized");
        return result;
    }

    /// <summary>Sends a request and returns its whole answer (with <c>result</c> or <c>error</c>).</summary>
    public Task<JsonObject> SendAsync(string method, JsonObject? parameters = null) => Send(method, parameters).Answer;

    /// <summary>Sends a request without waiting; the answer task completes when it arrives.</summary>
    public (string Id, Task<JsonObject> Answer) Send(string method, JsonObject? parameters = null)
    {
        var id = Interlocked.Increment(ref _nextId).ToString();
        var answer = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        var message = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = long.Parse(id), ["method"] = method };
        if (parameters is not null) message["params"] = parameters;
        WriteLine(message.ToJsonString());
        return (id, answer.Task.WaitAsync(AnswerTimeout));
    }

    /// <summary>Sends a request and returns its <c>result</c>; a JSON-RPC error fails the test.</summary>
    public async Task<JsonObject> RequestAsync(string method, JsonObject? parameters = null)
    {
        var answer = await SendAsync(method, parameters);
        if (answer["error"] is { } error) throw new InvalidOperationException($"{method} failed: {error.ToJsonString()}");
        return answer["result"]!.AsObject();
    }

    public Task<JsonObject> CallToolAsync(string name, JsonObject? arguments = null, JsonObject? meta = null) =>
        RequestAsync("tools/call", ToolCall(name, arguments, meta));

    public (string Id, Task<JsonObject> Answer) SendToolCall(string name, JsonObject? arguments = null, JsonObject? meta = null) =>
        Send("tools/call", ToolCall(name, arguments, meta));

    public Task NotifyAsync(string method, JsonObject? parameters = null)
    {
        var message = new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method };
        if (parameters is not null) message["params"] = parameters;
        WriteLine(message.ToJsonString());
        return Task.CompletedTask;
    }

    /// <summary>Writes raw bytes to the server's stdin (for malformed input).</summary>
    public void WriteRaw(string text)
    {
        lock (_stdin)
        {
            _stdin.Write(Encoding.UTF8.GetBytes(text));
            _stdin.Flush();
        }
    }

    /// <summary>Writes raw bytes to the server's stdin (for input that is not even UTF-8).</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        lock (_stdin)
        {
            _stdin.Write(bytes);
            _stdin.Flush();
        }
    }

    /// <summary>Registers a request written raw (by <see cref="WriteRaw(string)"/>) under its id, so that its answer is awaited and counted.</summary>
    public Task<JsonObject> ExpectAnswer(string id)
    {
        var answer = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_pending.TryAdd(id, answer)) throw new InvalidOperationException($"id {id} is already awaited");
        return answer.Task.WaitAsync(AnswerTimeout);
    }

    /// <summary>SIGKILL: the process ends at once, wherever it is; nothing of it runs afterwards.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
        await _readLoop;
    }

    /// <summary>Answers without an id (e.g. to unparseable input) arrive here.</summary>
    public ConcurrentQueue<JsonObject> UnmatchedAnswers { get; } = new();

    private static JsonObject ToolCall(string name, JsonObject? arguments, JsonObject? meta)
    {
        var parameters = new JsonObject { ["name"] = name, ["arguments"] = arguments ?? new JsonObject() };
        if (meta is not null) parameters["_meta"] = meta;
        return parameters;
    }

    private void WriteLine(string json) => WriteRaw(json + "\n");

    private async Task ReadLoopAsync()
    {
        var reader = _process.StandardOutput;
        while (await reader.ReadLineAsync() is { } line)
        {
            JsonObject? message;
            try
            {
                message = JsonNode.Parse(line) as JsonObject;
            }
            catch (JsonException)
            {
                message = null;
            }
            if (message is null)
            {
                lock (ForeignLines) ForeignLines.Add(line);
                continue;
            }
            if (message.ContainsKey("method"))
            {
                lock (_notificationWaiters)
                {
                    _notifications.Enqueue(message);
                    foreach (var matched in _notificationWaiters.Where(w => w.Match(message)).ToArray())
                    {
                        matched.Waiter.TrySetResult(message);
                        _notificationWaiters.Remove(matched);
                    }
                }
                continue;
            }
            var id = message["id"]?.ToJsonString().Trim('"');
            if (id is null || id == "null")
            {
                UnmatchedAnswers.Enqueue(message);
                continue;
            }
            _answerCounts.AddOrUpdate(id, 1, (_, n) => n + 1);
            _arrivalOrder.TryAdd(id, Interlocked.Increment(ref _arrivals));
            if (_pending.TryRemove(id, out var waiter)) waiter.TrySetResult(message);
        }
        // Stdout closed: the process is ending; its exit status (a signal shows as 128+n) says how.
        var exit = _process.WaitForExit(5000) ? $"exit status {_process.ExitCode}" : "still running";
        foreach (var waiter in _pending.Values) waiter.TrySetException(new EndOfStreamException($"server closed stdout ({exit}); stderr:\n" + Stderr));
    }

    /// <summary>Waits for the server to end by itself (after a signal, say), stdin left open; its exit status (128+n: killed by signal n).</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? guard = null)
    {
        await _process.WaitForExitAsync().WaitAsync(guard ?? AnswerTimeout);
        await _readLoop;
        return _process.ExitCode;
    }

    /// <summary>Closes stdin (the server's cue to exit) and waits for it to go.</summary>
    public async Task<int> StopAsync()
    {
        try { _stdin.Close(); } catch (IOException) { }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        await _readLoop;
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) await StopAsync();
        _process.Dispose();
    }
}
