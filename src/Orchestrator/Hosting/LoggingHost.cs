using Microsoft.Extensions.Logging;
using ZLogger;

namespace Orchestrator.Hosting;

/// <summary>
/// ZLogger to stderr (or a file with <c>--log-file</c>), never stdout. ZLogger writes asynchronously, so a restart
/// calls <see cref="Flush"/> before the exec; the loggers handed out survive a flush, should the exec fail.
/// </summary>
internal sealed class LoggingHost : ILoggerFactory
{
    private readonly ServerOptions _options;
    private readonly Lock _lock = new();
    private ILoggerFactory _factory;

    public LoggingHost(ServerOptions options)
    {
        _options = options;
        _factory = Build();
    }

    public ILogger CreateLogger(string categoryName) => new ForwardingLogger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    /// <summary>Writes out everything queued, then starts a fresh pipeline for any later message.</summary>
    public void Flush()
    {
        lock (_lock)
        {
            _factory.Dispose();
            _factory = Build();
        }
    }

    public void Dispose()
    {
        lock (_lock) _factory.Dispose();
    }

    private ILogger Current(string category)
    {
        lock (_lock) return _factory.CreateLogger(category);
    }

    private ILoggerFactory Build() => LoggerFactory.Create(builder =>
    {
        builder.SetMinimumLevel(_options.LogLevel);
        // The SDK logs every request at Information; keep that for --log-level debug or trace.
        builder.AddFilter("ModelContextProtocol", _options.LogLevel <= LogLevel.Debug ? _options.LogLevel : LogLevel.Warning);
        if (_options.LogFile is { } file) builder.AddZLoggerFile(file);
        else builder.AddZLoggerStream(Console.OpenStandardError());
    });

    private sealed class ForwardingLogger(LoggingHost host, string category) : ILogger
    {
        private ILoggerFactory? _source;
        private ILogger? _inner;

        private ILogger Inner
        {
            get
            {
                var factory = Volatile.Read(ref host._factory);
                if (!ReferenceEquals(factory, _source)) (_inner, _source) = (host.Current(category), factory);
                return _inner!;
            }
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => Inner.BeginScope(state);
        public bool IsEnabled(LogLevel logLevel) => logLevel >= host._options.LogLevel && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Inner.Log(logLevel, eventId, state, exception, formatter);
    }
}
