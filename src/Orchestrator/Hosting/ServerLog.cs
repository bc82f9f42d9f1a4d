using Microsoft.Extensions.Logging;
using ZLogger;
using ZLogger.Providers;

namespace Orchestrator.Hosting;

/// <summary>
/// ZLogger to stderr (or a file with <c>--log-file</c>), never stdout. Building the ZLogger provider costs about a
/// millisecond, which the restart path cannot spare: it is built on a background thread on first use, and messages
/// logged meanwhile are queued and written, in order, once it exists. No <c>LoggerFactory</c> (its DI container costs
/// more). ZLogger writes asynchronously, so a restart calls <see cref="Flush"/> before the exec.
/// </summary>
internal sealed class ServerLog(ServerOptions options) : ILoggerFactory
{
    private readonly Lock _lock = new();
    private readonly Queue<Action<ILoggerProvider>> _early = new();
    private ILoggerProvider? _provider;
    private Thread? _building;
    private Transport.ClientLogForwarder? _client;

    /// <summary>From now on, also send log messages to the MCP client at the level it asked for.</summary>
    public void ForwardToClient(Transport.ClientLogForwarder forwarder) => _client = forwarder;

    public ILogger CreateLogger(string categoryName) => new ForwardingLogger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    /// <summary>Writes out everything logged so far; a later message starts a fresh provider.</summary>
    public void Flush()
    {
        // A plain thread, joined: blocking a thread-pool thread on a task makes the pool start threads, and a thread
        // starting while the restart calls execv can bring the process down.
        Thread? building;
        lock (_lock) building = _building;
        building?.Join();
        lock (_lock)
        {
            _provider?.Dispose();
            _provider = null;
            _building = null;
        }
    }

    public void Dispose() => Flush();

    private bool ToClient(LogLevel level) => _client?.Wants(level) == true;

    private bool ToSink(string category, LogLevel level)
    {
        if (level == LogLevel.None) return false;
        // The SDK logs every request at Information; keep that for --log-level debug or trace.
        var minimum = category.StartsWith("ModelContextProtocol", StringComparison.Ordinal) && options.LogLevel > LogLevel.Debug
            ? LogLevel.Warning
            : options.LogLevel;
        return level >= minimum;
    }

    /// <summary>Runs <paramref name="write"/> against the provider now, or queues it until the provider is built.</summary>
    private void Write(Action<ILoggerProvider> write)
    {
        ILoggerProvider? provider;
        lock (_lock)
        {
            provider = _provider;
            if (provider is null)
            {
                _early.Enqueue(write);
                if (_building is null)
                {
                    _building = new Thread(BuildAndDrain) { IsBackground = true, Name = "logging-start" };
                    _building.Start();
                }
                return;
            }
        }
        write(provider);
    }

    private void BuildAndDrain()
    {
        var provider = Build();
        lock (_lock)
        {
            while (_early.TryDequeue(out var write)) write(provider);
            _provider = provider;
        }
    }

    private ILoggerProvider Build() => options.LogFile is { } file
        ? new ZLoggerFileLoggerProvider(file, WithFormat(new ZLoggerFileOptions()))
        : new ZLoggerStreamLoggerProvider(Console.OpenStandardError(), WithFormat(new ZLoggerOptions()));

    private static T WithFormat<T>(T zlogger) where T : ZLoggerOptions
    {
        zlogger.UsePlainTextFormatter(formatter =>
            formatter.SetPrefixFormatter($"{0:utc-longdate} {1:short} [{2}] ",
                (in MessageTemplate template, in LogInfo info) => template.Format(info.Timestamp, info.LogLevel, info.Category)));
        return zlogger;
    }

    private sealed class ForwardingLogger(ServerLog host, string category) : ILogger
    {
        private ILoggerProvider? _source;
        private ILogger? _inner;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => host.ToSink(category, logLevel) || host.ToClient(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (host.ToSink(category, logLevel)) host.Write(provider => For(provider).Log(logLevel, eventId, state, exception, formatter));
            // The SDK's own messages stay off the client channel: some are about that very channel.
            if (host.ToClient(logLevel) && !category.StartsWith("ModelContextProtocol", StringComparison.Ordinal))
                host._client!.Send(logLevel, category, formatter(state, exception));
        }

        private ILogger For(ILoggerProvider provider)
        {
            lock (this)
            {
                if (!ReferenceEquals(provider, _source)) (_inner, _source) = (provider.CreateLogger(category), provider);
                return _inner!;
            }
        }
    }
}
