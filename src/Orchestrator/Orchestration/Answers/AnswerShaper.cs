using System.Text;

namespace Orchestrator.Orchestration.Answers;

/// <summary>
/// Builds one attempt at an answer within given limits: each long text keeps at most <c>unit × weight</c> characters
/// and each list at most a number of items; what is cut says so. A text cut short ends with
/// <c>… [SHOWN of TOTAL characters; the rest: orchestrator_read_text ref "REF" offset SHOWN]</c>, a list cut short is
/// named in <see cref="Summary"/>. <see cref="AnswerFitter"/> picks the limits; a tool's answer is a function of the
/// shaper, so that every attempt is built the same way.
/// </summary>
internal sealed class AnswerShaper
{
    /// <summary>A text this short is never cut: the note saying where the rest is would be about as long.</summary>
    public const int NeverCut = 160;

    private readonly int _budget;
    private readonly long _unit;
    private readonly int _items;
    private readonly List<(int Length, int Weight)> _texts = [];
    private readonly Dictionary<string, (int Lists, int Shown, int Total, string Where)> _cutLists = new(StringComparer.Ordinal);
    private int _cutTexts;

    /// <param name="budget">The answer budget (named in the summary).</param>
    /// <param name="unit">Characters a text of weight 1 keeps; <see cref="int.MaxValue"/> keeps every text whole.</param>
    /// <param name="items">Items a list keeps; <see cref="int.MaxValue"/> keeps every item.</param>
    public AnswerShaper(int budget, int unit, int items) => (_budget, _unit, _items) = (budget, unit, items);

    /// <summary>Every text shaped so far: its whole length in characters and its weight.</summary>
    public IReadOnlyList<(int Length, int Weight)> Texts => _texts;

    /// <summary>The most items any list shaped so far had.</summary>
    public int LongestList { get; private set; }

    /// <summary>The characters of every text shaped so far, whole.</summary>
    public long TextLength { get; private set; }

    /// <summary>A stored text, cut when it is too long; the rest is read with <c>orchestrator_read_text</c> and <paramref name="reference"/>.</summary>
    public string Text(string value, string reference, int weight = 1) => Text(value, CodePoints.Count(value), weight, reference, null);

    public string? Optional(string? value, string reference, int weight = 1) => value is null ? null : Text(value, reference, weight);

    /// <summary>The beginning of a longer stored text (<paramref name="length"/> characters in all), as loaded.</summary>
    public string Excerpt(string excerpt, int length, string reference, int weight = 1) => Text(excerpt, length, weight, reference, null);

    /// <summary>A text whose rest is not in the store (e.g. a project file): <paramref name="rest"/> says where it is.</summary>
    public string TextWithRest(string value, string rest, int weight = 1) => Text(value, CodePoints.Count(value), weight, null, rest);

    private string Text(string loaded, int length, int weight, string? reference, string? rest)
    {
        _texts.Add((length, weight));
        TextLength += length;
        var keep = _unit == int.MaxValue ? long.MaxValue : _unit * weight;
        var available = CodePoints.Count(loaded);
        if (available == length && length <= Math.Max(keep, NeverCut)) return loaded;
        var shown = (int)Math.Min(Math.Min(keep, length), available);
        _cutTexts++;
        var where = reference is not null ? $"orchestrator_read_text ref \"{reference}\" offset {shown}" : rest;
        return CodePoints.Prefix(loaded, shown) + $"… [{shown} of {length} characters; the rest: {where}]";
    }

    /// <summary>
    /// A list, cut to the items allowed; <paramref name="name"/> (e.g. <c>tasks</c>, <c>results[].file_paths</c>)
    /// and <paramref name="rest"/> (how to see the others) go into the summary when it is cut.
    /// </summary>
    public IReadOnlyList<T> Items<T>(IReadOnlyList<T> items, string name, string rest)
    {
        LongestList = Math.Max(LongestList, items.Count);
        if (items.Count <= _items) return items;
        _cutLists[name] = _cutLists.TryGetValue(name, out var cut)
            ? (cut.Lists + 1, cut.Shown + _items, cut.Total + items.Count, cut.Where)
            : (1, _items, items.Count, rest);
        return items.Take(_items).ToList();
    }

    /// <summary>What this attempt cut and where the rest is, or null when it cut nothing: the answer's <c>truncated</c>.</summary>
    public string? Summary()
    {
        if (_cutTexts == 0 && _cutLists.Count == 0) return null;
        var text = new StringBuilder($"Cut to fit the answer budget of {_budget} characters:");
        if (_cutTexts > 0) text.Append($" {_cutTexts} text(s) end with […] saying where to read the rest;");
        foreach (var (name, cut) in _cutLists.OrderBy(c => c.Key, StringComparer.Ordinal))
            text.Append(cut.Lists == 1 ? $" {name}: {cut.Shown} of {cut.Total} shown" : $" {name}: {cut.Shown} of {cut.Total} items shown in {cut.Lists} lists")
                .Append($" ({cut.Where});");
        text.Length--;
        return text.Append('.').ToString();
    }
}
