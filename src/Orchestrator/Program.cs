using System.Runtime.Versioning;
using Orchestrator.Benchmarks;
using Orchestrator.Cli;
using Orchestrator.Hosting;
using Orchestrator.Reboot;

[assembly: SupportedOSPlatform("linux")]

namespace Orchestrator;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        ProcessImage.CaptureExecutablePath();
        // The demo reads its own flags (its --http takes no value): the server's parser never sees them.
        if (args is ["demo", .. var demo]) return await DemoCommand.RunAsync(demo);
        ParsedCommandLine parsed;
        try
        {
            parsed = CommandLine.Parse(args, Environment.GetEnvironmentVariable);
        }
        catch (CommandLineException ex)
        {
            await Console.Error.WriteLineAsync($"orchestrator: {ex.Message}\nTry 'orchestrator --help'.");
            return 2;
        }
        if (parsed.ExitCode is { } code)
        {
            Console.Out.WriteLine(parsed.Output);
            return code;
        }
        var options = parsed.Options!;
        return parsed.Subcommand switch
        {
            [] => await ServerHost.RunAsync(options),
            ["bench", "restart", .. var rest] => await RestartBenchmark.RunAsync(rest),
            ["bench", "tools", .. var rest] => await ToolLatencyBenchmark.RunAsync(rest),
            ["bench", "http", .. var rest] => await HttpBenchmark.RunAsync(rest),
            ["bench", "agents", .. var rest] => await AgentsBenchmark.RunAsync(rest),
            ["bench", "board", .. var rest] => await BoardBenchmark.RunAsync(rest),
            ["bench", "resources", .. var rest] => await ResourceBenchmark.RunAsync(rest),
            ["board", .. var rest] => await BoardCommand.RunAsync(rest, options),
            ["floor-echo"] => FloorEcho.Run(),
            ["config", .. var client] => ConfigCommand.Run(client, options),
            ["doctor"] => DoctorCommand.Run(options),
            ["export", .. var rest] => ExportCommand.Run(rest, options),
            ["import", .. var rest] => ImportCommand.Run(rest, options),
            _ => Unknown(parsed.Subcommand),
        };
    }

    private static int Unknown(string[] words)
    {
        Console.Error.WriteLine($"orchestrator: unknown command '{string.Join(' ', words)}'\nTry 'orchestrator --help'.");
        return 2;
    }
}
