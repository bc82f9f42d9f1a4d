using System;
using System.Collections.Generic;
using System.Globalization;

namespace Orchestrator.Generators;

/// <summary>
/// Hands out the names of one generated method's locals. A name says what the local holds, derived from the path of
/// the value (<c>__timeout</c>, <c>__hasTimeout</c>, <c>__subtasksList</c>, <c>__tagsItemList</c> for a list inside
/// a list). The <c>__</c> prefix keeps them apart from the method's parameters and from the user's members; should
/// two derived names still coincide (a property <c>TimeoutRead</c> beside the value read for <c>Timeout</c>), the
/// later one gets a number, so that the generated code compiles whatever the properties are called.
/// </summary>
internal sealed class LocalNames
{
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal) { "arguments", "element", "path", "value", "errors", "writer" };

    /// <summary>A fresh local named after <paramref name="description"/> (camelCase, e.g. <c>subtasksItem</c>).</summary>
    public string Claim(string description)
    {
        var name = "__" + description;
        if (_taken.Add(name)) return name;
        for (var number = 2; ; number++)
        {
            var numbered = name + number.ToString(CultureInfo.InvariantCulture);
            if (_taken.Add(numbered)) return numbered;
        }
    }
}
