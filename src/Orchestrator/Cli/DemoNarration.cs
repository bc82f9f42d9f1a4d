using System.Text;
using System.Text.Json;

namespace Orchestrator.Cli;

/// <summary>
/// Writes the demo's steps to stdout: short numbered lines for a person, coloured only on a terminal and never with
/// NO_COLOR; or, with <c>--json</c>, one JSON object per line for scripts. Why a step failed also goes to stderr.
/// </summary>
internal sealed class DemoNarration(TextWriter output, bool json, bool colour)
{
    private const string Reset = "\e[0m", Bold = "\e[1m", Dim = "\e[2m", Red = "\e[31m", Green = "\e[32m", Cyan = "\e[36m";

    /// <summary>Colour when stdout is a terminal, NO_COLOR is unset or empty (no-color.org) and the terminal is not dumb.</summary>
    public static bool ColourWanted(Func<string, string?> environment) =>
        !Console.IsOutputRedirected && string.IsNullOrEmpty(environment("NO_COLOR")) && environment("TERM") is not "dumb";

    public void Title(string text)
    {
        if (!json) Line($"{Paint(Bold, "orchestrator demo")}: {text}");
    }

    public void Passed(int number, string name, DemoStepReport report)
    {
        if (json)
        {
            Json(w =>
            {
                w.WriteNumber("step", number);
                w.WriteString("name", name);
                w.WriteBoolean("ok", true);
                w.WriteString("text", report.Text);
                foreach (var (key, value) in report.Facts) WriteFact(w, key, value);
            });
            return;
        }
        Line($"{Paint(Dim, $"{number,2}.")} {Paint(Cyan, name.PadRight(10))} {report.Text}");
    }

    public void Failed(int number, string name, string error)
    {
        if (json)
        {
            Json(w =>
            {
                w.WriteNumber("step", number);
                w.WriteString("name", name);
                w.WriteBoolean("ok", false);
                w.WriteString("error", error);
            });
        }
        else
        {
            Line($"{Paint(Dim, $"{number,2}.")} {Paint(Red, name.PadRight(10))} {Paint(Red + Bold, "FAILED")} {error}");
        }
        Console.Error.WriteLine($"orchestrator demo: step {number} ({name}) failed: {error}");
    }

    /// <summary>The closing lines: what was shown, and how to connect a real client.</summary>
    public void Summary(string shown, string connect, string? keptIn)
    {
        if (json)
        {
            Json(w =>
            {
                w.WriteBoolean("ok", true);
                w.WriteString("summary", shown);
                w.WriteString("connect", connect);
                if (keptIn is null) w.WriteNull("kept");
                else w.WriteString("kept", keptIn);
            });
            return;
        }
        Line($"{Paint(Green + Bold, "Shown:")} {shown}");
        Line($"{Paint(Bold, "Connect a real client:")} {connect}");
    }

    private string Paint(string code, string text) => colour ? code + text + Reset : text;

    private void Line(string text)
    {
        output.WriteLine(text);
        output.Flush();
    }

    private void Json(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        Line(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static void WriteFact(Utf8JsonWriter writer, string name, object value)
    {
        switch (value)
        {
            case string s: writer.WriteString(name, s); break;
            case bool b: writer.WriteBoolean(name, b); break;
            case int i: writer.WriteNumber(name, i); break;
            case long l: writer.WriteNumber(name, l); break;
            case double d: writer.WriteNumber(name, d); break;
            default: throw new ArgumentException($"fact {name} has an unsupported type {value.GetType().Name}");
        }
    }
}
