using System.Globalization;
using System.Text;

namespace Orchestrator.Generators;

internal static class Naming
{
    /// <summary>PreserveState → preserve_state, HTTPServer → http_server, Utf8Value → utf8_value.</summary>
    public static string SnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && name[i - 1] != '_')
                {
                    var prev = name[i - 1];
                    var nextIsLower = i + 1 < name.Length && char.IsLower(name[i + 1]);
                    if (char.IsLower(prev) || char.IsDigit(prev) || (char.IsUpper(prev) && nextIsLower)) sb.Append('_');
                }
                sb.Append(char.ToLowerInvariant(c));
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>preserve_state → preserveState: a JSON name as the stem of a generated local's name.</summary>
    public static string CamelCase(string snakeName)
    {
        var sb = new StringBuilder(snakeName.Length);
        foreach (var word in snakeName.Split('_'))
        {
            if (word.Length == 0) continue;
            sb.Append(sb.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word.Substring(1));
        }
        return sb.ToString();
    }

    /// <summary>What generated locals holding a property are named after: its JSON name in camelCase (never empty).</summary>
    public static string LocalStem(string jsonName)
    {
        var stem = CamelCase(jsonName);
        return stem.Length == 0 ? "property" : stem;
    }

    /// <summary>timeout → Timeout, to follow a prefix such as "has".</summary>
    public static string UpperFirst(string name) => name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name.Substring(1);

    public static bool IsValidToolName(string name)
    {
        if (name.Length == 0 || name[0] < 'a' || name[0] > 'z') return false;
        foreach (var c in name)
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
        return true;
    }

    /// <summary>A JSON string literal, quotes included.</summary>
    public static string JsonString(string value)
    {
        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }

    /// <summary>A C# string literal, quotes included.</summary>
    public static string CSharpString(string value) =>
        Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(value, quote: true);

    /// <summary>A JSON number: integers without ".0", otherwise round-trippable.</summary>
    public static string JsonNumber(double value) =>
        value == System.Math.Floor(value) && System.Math.Abs(value) < 1e15
            ? ((long)value).ToString(CultureInfo.InvariantCulture)
            : value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A C# double literal.</summary>
    public static string CSharpDouble(double value) =>
        double.IsNaN(value) ? "double.NaN" : value.ToString("R", CultureInfo.InvariantCulture) + "d";

    /// <summary>An identifier made from a type name.</summary>
    public static string Identifier(string fullName)
    {
        var sb = new StringBuilder();
        foreach (var c in fullName.Replace("global::", ""))
            sb.Append(char.IsLetterOrDigit(c) ? c : '_');
        return sb.ToString();
    }
}
