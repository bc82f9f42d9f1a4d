using System.Text;

namespace Orchestrator.Generators;

/// <summary>Writes C# line by line with four-space indentation and "\n" line ends, whatever the machine, so that output is reproducible.</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder _sb = new();
    public int Indent;

    public void Raw(string text) => _sb.Append(text.Replace("\r\n", "\n"));

    public void Line(string text = "")
    {
        if (text.Length > 0) _sb.Append(' ', Indent * 4).Append(text);
        _sb.Append('\n');
    }

    /// <summary>Writes <paramref name="text"/> and opens a block under it.</summary>
    public void Open(string text)
    {
        Line(text);
        Line("{");
        Indent++;
    }

    public void Close()
    {
        Indent--;
        Line("}");
    }

    public override string ToString() => _sb.ToString();
}
