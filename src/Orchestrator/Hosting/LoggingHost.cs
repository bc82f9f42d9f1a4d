using Microsoft.Extensions.Logging;
using ZLogger;
using ZLogger.Providers;

namespace Orchestrator.Hosting;

/// <summary>
/// ZLogger to stderr (or a file with <c>--log-file</c>), never stdout. The provider is built on first use, without
/// a <c>LoggerFactory</c> (whose DI container costs milliseconds on the restart path). ZLogger writes
/// asynchronously, so a restart calls <see cref="Flush"/> before the exec; loggers handed out survive a flush.
/// </summary>
internal sealed class LoggingHost(ServerOptions options) : ILoggerFactory
{
    private readonly Lock _lock = new();
    private ILoggerProvider? _provider;

    public ILogger CreateLogger(string categoryName) => new ForwardingLogger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    /// <summary>Writes out everything queued; the next message starts a fresh provider.</summary>
    public void Flush()
    {
        lock (_lock)
        {
            _provider?.Dispose();
            _provider = null;
        }
    }

    public void Dispose() => Flush();

    private bool IsEnabled(string category, LogLevel level)
    {
        if (level == LogLevel.None) return false;
        // The SDK logs every request at Information; keep that for --log-level debug or trace.
        var minimum = category.StartsWith("ModelContextProtocol", StringComparison.Ordinal) && options.LogLevel > LogLevel.Debug
            ? LogLevel.Warning
            : options.LogLevel;
        return level >= minimum;
    }

    private ILoggerProvider Provider()
    {
        lock (_lock) return _provider ??= Build();
    }

    private ILoggerProvider Build()
    {
        return options.LogFile is { } file
            ? new ZLoggerFileLoggerProvider(file, WithFormat(new ZLoggerFileOptions()))
            : new ZLoggerStreamLoggerProvider(Console.OpenStandardError(), WithFormat(new ZLoggerOptions()));
    }

    private static T WithFormat<T>(T zlogger) where T : ZLoggerOptions
    {
        zlogger.UsePlainTextFormatter(formatter =>
            formatter.SetPrefixFormatter($"{0:utc-longdate} {1:short} [{2}] ",
                (in MessageTemplate template, in LogInfo info) => template.Format(info.Timestamp, info.LogLevel, info.Category)));
        return zlogger;
    }

    private sealed class ForwardingLogger(LoggingHost host, string category) : ILogger
    {
        private ILoggerProvider? _source;
        private ILogger? _inner;

        private ILogger Inner
        {
            get
            {
                var provider = host.Provider();
                if (!ReferenceEquals(provider, _source)) (_inner, _source) = (provider.CreateLogger(category), provider);
                return _inner!;
            }
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => host.IsEnabled(category, logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) Inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
