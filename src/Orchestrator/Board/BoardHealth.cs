using System.Text.Json;
using Orchestrator.Reboot;

namespace Orchestrator.Board;

/// <summary>
/// The board's health view: the store, the snapshot directory, whether a restart could start now, and the restart
/// history. Read-only: unlike <c>doctor</c> it writes no probe file; the snapshot directory is judged by its presence,
/// its permissions and its file system's room.
/// </summary>
internal static class BoardHealth
{
    public static void Write(BoardStore store, Utf8JsonWriter json)
    {
        var problems = new List<string>();
        json.WriteStartObject();
        json.WriteStartObject("store");
        json.WriteString("path", store.DatabasePath);
        Microsoft.Data.Sqlite.SqliteConnection? connection = null;
        try
        {
            connection = store.Open();
            json.WriteBoolean("ok", true);
            json.WriteNumber("schema_version", Convert.ToInt64(BoardStore.Scalar(connection, "PRAGMA user_version")));
            json.WriteNumber("size_bytes", FileSize(store.DatabasePath));
            json.WriteNumber("wal_bytes", FileSize(store.DatabasePath + "-wal"));
            json.WriteNumber("tasks", BoardQueries.TaskCount(connection));
        }
        catch (BoardUnavailableException ex)
        {
            json.WriteBoolean("ok", false);
            json.WriteString("problem", ex.Message);
            problems.Add(ex.Message);
        }
        json.WriteEndObject();

        json.WriteStartObject("snapshot_directory");
        json.WriteString("path", store.SnapshotDirectory);
        var snapshotProblem = SnapshotProblem(store.SnapshotDirectory);
        json.WriteBoolean("ok", snapshotProblem is null);
        if (snapshotProblem is not null)
        {
            json.WriteString("problem", snapshotProblem);
            problems.Add(snapshotProblem);
        }
        json.WriteEndObject();

        var underWay = connection is not null && BoardQueries.RestartUnderWay(connection);
        if (underWay) problems.Add("a restart is under way");
        json.WriteStartObject("restart_readiness");
        json.WriteBoolean("ready", problems.Count == 0);
        json.WriteBoolean("restart_under_way", underWay);
        json.WriteStartArray("problems");
        foreach (var problem in problems) json.WriteStringValue(problem);
        json.WriteEndArray();
        json.WriteEndObject();

        if (connection is not null) BoardQueries.Restarts(connection, json);
        else
        {
            json.WriteStartArray("restarts");
            json.WriteEndArray();
        }
        json.WriteEndObject();
        connection?.Dispose();
    }

    /// <summary>
    /// Why snapshots could not be written there, or null. A directory not made yet is fine when its parent can hold it
    /// (the first restart makes it).
    /// </summary>
    private static string? SnapshotProblem(string path)
    {
        var existing = Directory.Exists(path) ? path : Path.GetDirectoryName(path)!;
        if (!Directory.Exists(existing)) return $"snapshot directory {path}: its parent does not exist";
        var mode = File.GetUnixFileMode(existing);
        if ((mode & UnixFileMode.UserWrite) == 0) return $"snapshot directory {existing} is not writable by its owner";
        return DiskSpace.Problem(existing) is { } space ? $"snapshot directory {path}: {space}" : null;
    }

    private static long FileSize(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
}
