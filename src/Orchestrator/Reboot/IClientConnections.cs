using Orchestrator.Reboot.Contract;

namespace Orchestrator.Reboot;

/// <summary>
/// What a transport tells the reboot tools about its clients: the health check's connection status and the reconnect
/// test's sessions. Over stdio there is one client on the pipes; over HTTP, every session a client can name again.
/// </summary>
internal interface IClientConnections
{
    ConnectionHealth Health();

    /// <summary>
    /// The session <paramref name="wanted"/> (null when none was asked for) and all of them; <paramref name="restartCapable"/>
    /// says whether a restart could carry them across right now (the executable is runnable).
    /// </summary>
    (SessionTest? Wanted, AllSessionsTest All) Sessions(string? wanted, bool restartCapable);
}
