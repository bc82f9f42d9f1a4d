using System.Text;
using System.Text.Json;
using Orchestrator.Hosting;
using Orchestrator.Reboot;

namespace Orchestrator.Cli;

/// <summary>
/// <c>orchestrator config CLIENT</c>: prints the snippet that registers this binary (absolute path) and its data
/// directory with an MCP client. The snippet alone goes to stdout, so it can be piped; where it goes, to stderr.
/// </summary>
internal static class ConfigCommand
{
    public static readonly string[] Clients = ["claude-desktop", "claude-code", "cursor", "vscode", "windsurf"];

    public static int Run(string[] args, ServerOptions options)
    {
        if (args.Length != 1 || !Clients.Contains(args[0]))
        {
            Console.Error.WriteLine($"orchestrator config: name one client: {string.Join(", ", Clients)}");
            return 2;
        }
        var binary = ProcessImage.ExecutablePath;
        string[] arguments = ["--data-dir", options.DataDirectory];
        var (snippet, where) = args[0] switch
        {
            "claude-desktop" => (ServersJson("mcpServers", binary, arguments, withType: false),
                "merge into claude_desktop_config.json (macOS: ~/Library/Application Support/Claude/, Windows: %APPDATA%\\Claude\\)"),
            "claude-code" => (ClaudeCodeCommand(binary, arguments), "run it in a shell; add --scope user to use it in every project"),
            "cursor" => (ServersJson("mcpServers", binary, arguments, withType: false), "merge into ~/.cursor/mcp.json (or .cursor/mcp.json in a project)"),
            "vscode" => (ServersJson("servers", binary, arguments, withType: true), "merge into .vscode/mcp.json in the workspace"),
            _ => (ServersJson("mcpServers", binary, arguments, withType: false), "merge into ~/.codeium/windsurf/mcp_config.json"),
        };
        Console.Error.WriteLine($"# {args[0]}: {where}");
        Console.Out.WriteLine(snippet);
        return 0;
    }

    private static string ServersJson(string rootKey, string binary, string[] arguments, bool withType)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteStartObject(rootKey);
            w.WriteStartObject("orchestrator");
            if (withType) w.WriteString("type", "stdio");
            w.WriteString("command", binary);
            w.WriteStartArray("args");
            foreach (var argument in arguments) w.WriteStringValue(argument);
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string ClaudeCodeCommand(string binary, string[] arguments) =>
        $"claude mcp add orchestrator -- {string.Join(' ', new[] { binary }.Concat(arguments).Select(Storage.ShellWord.Quote))}";
}
