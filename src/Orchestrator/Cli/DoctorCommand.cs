using Microsoft.Data.Sqlite;
using Orchestrator.Hosting;
using Orchestrator.Http;
using Orchestrator.Reboot;
using Orchestrator.Storage;

namespace Orchestrator.Cli;

/// <summary>
/// <c>orchestrator doctor</c>: looks at the binary, the token and the HTTP binding, the data directory, the database, the
/// snapshot directory and who else can read them, without changing anything, and prints what it found: <c>ok</c>,
/// <c>FAIL</c> (broken, or open to other users, with the command that fixes it) or <c>WARN</c> (works, but gives the data
/// or the token away). Exit 0 when all is well, 1 when something needs attention. It never prints a token.
/// </summary>
internal static class DoctorCommand
{
    public static int Run(ServerOptions options)
    {
        // Reading a WAL store can make SQLite create its shared-memory file: private, as the server makes it.
        PrivateFiles.RestrictProcessUmask();
        var problems = 0;
        void Report(bool ok, string subject, string finding) => Line(ok ? "ok" : "FAIL", subject, finding);
        void Line(string status, string subject, string finding)
        {
            if (status != "ok") problems++;
            Console.Out.WriteLine($"{status,-4}  {subject,-10} {finding}");
        }

        var binary = ProcessImage.ExecutablePath;
        var binaryProblem = ProcessImage.Problem(binary);
        Report(binaryProblem is null, "binary", $"{binary} ({ServerInfo.Name} {ServerInfo.Version})" + (binaryProblem is null ? "" : ": " + binaryProblem));
        if (options.Token is { File: { } tokenFile } fileSource)
        {
            var read = TokenFile.Read(tokenFile, fileSource.AllowExposedFile);
            Report(read.Problem is null, "token", read.Problem ?? $"read from {tokenFile}");
        }
        foreach (var (subject, risk) in PrivacyAudit.ConfigurationRisks(options)) Line("WARN", subject, risk);

        if (CheckDataDirectory(options.DataDirectory, Report)) problems += CheckStore(options, Report);

        // Last, after SQLite opened the store: it gives an empty WAL or shared-memory file the database file's mode.
        foreach (var exposure in PrivacyAudit.Exposures(options))
            Report(false, "privacy", $"{exposure.Path}: {exposure.Finding}; fix: {exposure.Fix}");
        Console.Out.WriteLine(problems == 0 ? "all checks passed" : $"{problems} problem(s) found");
        return problems == 0 ? 0 : 1;
    }

    /// <summary>Whether the data directory exists (reported either way).</summary>
    private static bool CheckDataDirectory(string dataDirectory, Action<bool, string, string> report)
    {
        if (!Directory.Exists(dataDirectory))
        {
            report(!File.Exists(dataDirectory), "data dir", File.Exists(dataDirectory)
                ? $"{dataDirectory} is a file, not a directory"
                : $"{dataDirectory} does not exist yet (created on first start)");
            return false;
        }
        var writable = CanWrite(dataDirectory);
        report(writable, "data dir", dataDirectory + (writable ? "" : ": not writable"));
        return true;
    }

    /// <summary>The database and the snapshot directory; the problems found in the database (the rest are reported).</summary>
    private static int CheckStore(ServerOptions options, Action<bool, string, string> report)
    {
        var problems = 0;
        var databasePath = options.DatabasePath;
        if (!File.Exists(databasePath)) report(true, "database", $"{databasePath} does not exist yet (created on first start)");
        else problems += CheckDatabase(databasePath) ? 0 : 1;

        var snapshots = options.SnapshotDirectory;
        if (File.Exists(snapshots)) report(false, "snapshots", $"{snapshots} is a file; restarts cannot write their snapshot");
        else if (!Directory.Exists(snapshots)) report(true, "snapshots", $"{snapshots} does not exist yet (created at the first restart)");
        else
        {
            var left = Directory.GetFiles(snapshots, "restart-*.snap*");
            report(CanWrite(snapshots), "snapshots", $"{snapshots}: {(CanWrite(snapshots) ? "writable" : "not writable")}, " +
                (left.Length == 0 ? "empty" : $"{left.Length} file(s) left: {string.Join(", ", left.Select(Path.GetFileName))} (removed at the next start once their process is gone)"));
        }
        return problems;
    }

    private static bool CheckDatabase(string path)
    {
        Storage.Database.EnsureProvider();
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            connection.Open();
            string Scalar(string sql)
            {
                using var command = connection.CreateCommand();
                command.CommandText = sql;
                return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
            }
            string integrity;
            // On a terminal, a large store's check says what it is doing; nothing on a pipe.
            using (var progress = new TerminalProgress())
            {
                progress.Step($"checking the integrity of {path} ({new FileInfo(path).Length / 1024.0 / 1024.0:F1} MB)");
                integrity = Scalar("PRAGMA quick_check");
            }
            var version = int.Parse(Scalar("PRAGMA user_version"));
            var journal = Scalar("PRAGMA journal_mode");
            var restarts = version >= 1 ? Scalar("SELECT count(*) FROM restart_history") : "0";
            var tasks = version >= 2 ? Scalar("SELECT count(*) FROM tasks") : "0";
            var ok = integrity == "ok" && version <= Storage.Migrations.Latest;
            var finding = $"{path}: integrity {integrity}, schema {version} of {Storage.Migrations.Latest}, journal {journal}, {tasks} task(s), {restarts} restart(s) recorded";
            if (version > Storage.Migrations.Latest) finding += " (written by a newer build)";
            Console.Out.WriteLine($"{(ok ? "ok" : "FAIL"),-4}  {"database",-10} {finding}");
            return ok;
        }
        catch (SqliteException ex)
        {
            Console.Out.WriteLine($"FAIL  {"database",-10} {path}: {ex.Message}");
            return false;
        }
    }

    private static bool CanWrite(string directory) => Native.Libc.CanWrite(directory);
}
