using Orchestrator.Hosting;
using Orchestrator.Orchestration;
using Orchestrator.Orchestration.Export;
using Orchestrator.Storage;

namespace Orchestrator.Cli;

/// <summary>
/// <c>orchestrator import FILE [--keep-ids|--new-ids]</c>: restores a JSON export into the data directory's store (created
/// if there is none) in one transaction. Ids are kept by default (<see cref="IdMode"/> says what each mode does); a file
/// that is not JSON, not an export, of another version, or with a broken reference or an id the store already has is
/// refused with every problem named, and nothing changes. Exit 0, 1 when refused, 2 on a bad flag.
/// </summary>
internal static class ImportCommand
{
    public const string Usage = "orchestrator import FILE [--keep-ids|--new-ids] [--data-dir DIR]";

    public static int Run(IReadOnlyList<string> args, ServerOptions options)
    {
        string? file = null;
        IdMode? mode = null;
        try
        {
            foreach (var arg in args)
            {
                IdMode? chosen = arg switch { "--keep-ids" => IdMode.Keep, "--new-ids" => IdMode.New, _ => null };
                if (chosen is { } m)
                {
                    if (mode is { } other && other != m) throw new CliUsageException("--keep-ids and --new-ids exclude each other");
                    mode = m;
                }
                else if (arg.StartsWith('-') || file is not null) throw new CliUsageException($"unknown argument '{arg}'");
                else file = Path.GetFullPath(arg);
            }
            if (file is null) throw new CliUsageException("which file? (an export written by orchestrator export)");
        }
        catch (CliUsageException ex)
        {
            return CliUsageException.Report("import", ex.Message, Usage);
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Fail($"cannot read {file}: {ex.Message}");
        }
        var ids = mode ?? IdMode.Keep;
        try
        {
            // On a terminal, which step a large import is at; nothing on a pipe.
            using var progress = new TerminalProgress();
            progress.Step($"reading {file} ({bytes.Length / 1024.0 / 1024.0:F1} MB)");
            var export = ExportFile.Parse(bytes);
            PrivateFiles.RestrictProcessUmask();
            progress.Step($"opening the store in {options.DataDirectory}");
            using var store = Store.Open(options.DataDirectory, options.DatabasePath);
            if (store.Database is not { } database) return Fail(store.Error!);
            progress.Step("importing in one transaction");
            var summary = new TaskOrchestrator(database, TimeProvider.System, Directory.GetCurrentDirectory()).Import(export, ids);
            progress.Dispose();
            Console.Out.WriteLine($"imported {summary.Tasks} task(s), {summary.Subtasks} subtask(s), {summary.Dependencies} dependenc(ies), "
                + $"{summary.Artifacts} artifact(s), {summary.History} history row(s) into {options.DatabasePath}; "
                + $"{summary.Sessions} session(s) created, {summary.SessionsJoined} joined (same working directory); "
                + (ids == IdMode.Keep ? "ids kept as in the file" : "fresh ids given to every task, subtask and artifact"));
            return 0;
        }
        catch (ImportRefusedException ex)
        {
            return Fail($"{file}: {ex.Message}");
        }
        catch (StoreFaultException ex)
        {
            return Fail(ex.Message);
        }
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"orchestrator: import refused, nothing changed: {message}");
        return 1;
    }
}
