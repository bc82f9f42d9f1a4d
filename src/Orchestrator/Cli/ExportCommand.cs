using Orchestrator.Hosting;
using Orchestrator.Orchestration;
using Orchestrator.Orchestration.Contract;
using Orchestrator.Orchestration.Export;
using Orchestrator.Storage;

namespace Orchestrator.Cli;

/// <summary>
/// <c>orchestrator export [--session ID] [--format json|markdown] [--output FILE]</c>: the store of the data directory
/// (or one session of it) as a lossless, versioned JSON export or a Markdown report, to stdout or to FILE (created
/// 0600). Works beside a running server (SQLite lets a reader in). Exit 0, 1 on a problem (named on stderr), 2 on a bad
/// flag.
/// </summary>
internal static class ExportCommand
{
    public const string Usage = "orchestrator export [--session ID] [--format json|markdown] [--output FILE] [--data-dir DIR]";

    public static int Run(IReadOnlyList<string> args, ServerOptions options)
    {
        string? session = null, output = null;
        var format = ExportFormat.Json;
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new CliUsageException($"{args[i]} needs a value");
            try
            {
                switch (args[i])
                {
                    case "--session": session = Value(); break;
                    case "--output": output = Path.GetFullPath(Value()); break;
                    case "--format":
                        format = Value() switch
                        {
                            "json" => ExportFormat.Json,
                            "markdown" or "md" => ExportFormat.Markdown,
                            var other => throw new CliUsageException($"unknown format '{other}' (use json or markdown)"),
                        };
                        break;
                    default: throw new CliUsageException($"unknown argument '{args[i]}'");
                }
            }
            catch (CliUsageException ex)
            {
                return CliUsageException.Report("export", ex.Message, Usage);
            }
        }

        PrivateFiles.RestrictProcessUmask();
        if (!File.Exists(options.DatabasePath)) return Fail($"no store at {options.DatabasePath} (is --data-dir right?)");
        using var store = Store.Open(options.DataDirectory, options.DatabasePath);
        if (store.Database is not { } database) return Fail(store.Error!);
        var tasks = new TaskOrchestrator(database, TimeProvider.System, Directory.GetCurrentDirectory());
        var (export, error) = tasks.Export(session, ServerInfo.Version);
        if (error is not null) return Fail(error.Message);
        var bytes = ExportWriter.Render(export!, format);
        if (output is null)
        {
            using var stdout = Console.OpenStandardOutput();
            stdout.Write(bytes);
            return 0;
        }
        try
        {
            ExportWriter.Write(output, bytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Fail($"cannot write {output}: {ex.Message}");
        }
        Console.Error.WriteLine($"orchestrator: exported {export!.Sessions.Count} session(s), {export.Tasks.Count} task(s), {export.Subtasks.Count} subtask(s), "
            + $"{export.Artifacts.Count} artifact(s), {export.History.Count} history row(s) to {output} ({bytes.Length} bytes, {(format == ExportFormat.Json ? "json" : "markdown")})");
        return 0;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"orchestrator: export: {message}");
        return 1;
    }
}
