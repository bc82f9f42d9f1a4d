namespace Orchestrator.Cli;

/// <summary>A verb's arguments are wrong: reported on stderr with the verb's usage, exit 2 (as a bad server flag).</summary>
internal sealed class CliUsageException(string message) : Exception(message)
{
    public static int Report(string verb, string message, string usage)
    {
        Console.Error.WriteLine($"orchestrator: {verb}: {message}\nUsage: {usage}");
        return 2;
    }
}
