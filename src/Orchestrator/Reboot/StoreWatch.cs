using Microsoft.Extensions.Logging;
using Orchestrator.Storage;

namespace Orchestrator.Reboot;

/// <summary>
/// Notices, between requests, that the store's path no longer names the database this server has open (deleted or
/// replaced under it), and says so once in the log: writes and restarts already refuse it when they happen
/// (<see cref="Database.WriteRefusal"/>), but an operator should hear of it before then.
/// </summary>
internal sealed class StoreWatch : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly Database _database;
    private readonly ILogger _logger;
    private readonly Timer _timer;
    private int _reported;

    public StoreWatch(Database database, ILogger logger)
    {
        _database = database;
        _logger = logger;
        _timer = new Timer(_ => Check(), null, Interval, Interval);
    }

    private void Check()
    {
        if (_database.DetachedProblem() is not { } problem || Interlocked.Exchange(ref _reported, 1) != 0) return;
        _logger.LogCritical("{Problem}. Writes and restarts are refused; this process still holds the data it acknowledged (stop it only once it is copied or no longer needed)", problem);
    }

    public void Dispose() => _timer.Dispose();
}
