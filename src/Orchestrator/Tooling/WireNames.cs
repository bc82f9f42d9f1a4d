using System.Collections.Concurrent;
using System.Text;

namespace Orchestrator.Tooling;

/// <summary>The snake_case wire name of an enum member (<c>ManualRequest</c> → <c>manual_request</c>), as the generated schemas spell it.</summary>
public static class WireNames
{
    public static string ToWire<TEnum>(this TEnum value) where TEnum : struct, Enum => Names<TEnum>.Cache.GetOrAdd(value, static v => SnakeCase(v.ToString()));

    private static class Names<TEnum> where TEnum : struct, Enum
    {
        public static readonly ConcurrentDictionary<TEnum, string> Cache = new();
    }

    public static string SnakeCase(string pascal)
    {
        var builder = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c))
            {
                if (i > 0) builder.Append('_');
                builder.Append(char.ToLowerInvariant(c));
            }
            else builder.Append(c);
        }
        return builder.ToString();
    }
}
