using Orchestrator.Tooling;

namespace Orchestrator.Orchestration.Answers;

/// <summary>
/// Fits a task tool's answer to the answer budget. Most answers fit whole and are built once. One that does not is
/// rebuilt with limits: lists first, kept to the items whose bare structure fills at most half the budget, then texts,
/// which share the rest in proportion to their weights (water-filling: short texts stay whole, long ones get equal
/// shares), checked against the real size and tightened until the answer fits.
/// </summary>
internal static class AnswerFitter
{
    /// <summary>About how long the note that ends a cut text is.</summary>
    private const int NoteLength = 110;

    public static T Fit<T>(int budget, Func<AnswerShaper, T> shape) where T : IJsonWritable
    {
        var whole = new AnswerShaper(budget, int.MaxValue, int.MaxValue);
        var answer = shape(whole);
        if (whole.TextLength < budget && Size(answer) <= budget) return answer;

        var items = int.MaxValue;
        var least = new AnswerShaper(budget, 0, items);
        var leastSize = Size(shape(least));
        if (leastSize > budget / 2 && whole.LongestList > 0)
        {
            // The most items whose bare answer fills at most half the budget (binary search; the size grows with items).
            int low = 0, high = whole.LongestList - 1;
            while (low < high)
            {
                var middle = (low + high + 1) / 2;
                if (Size(shape(new AnswerShaper(budget, 0, middle))) <= budget / 2) low = middle;
                else high = middle - 1;
            }
            items = low;
            least = new AnswerShaper(budget, 0, items);
            leastSize = Size(shape(least));
        }

        var available = (long)budget - leastSize;
        for (var attempt = 0; attempt < 8 && available > 0; attempt++)
        {
            var shaped = shape(new AnswerShaper(budget, WaterLevel(least.Texts, available), items));
            var size = Size(shaped);
            if (size <= budget) return shaped;
            available -= size - budget + 32;
        }
        return shape(new AnswerShaper(budget, 0, items));
    }

    /// <summary>The answer's length in UTF-8 bytes: never less than its length in characters, so within budget means within budget.</summary>
    public static int Size(IJsonWritable answer) => ToolResults.Serialize(answer.WriteJson).Length;

    /// <summary>
    /// The largest unit (characters per weight) at which the texts grow by at most <paramref name="available"/>
    /// characters over their least form (a text longer than <see cref="AnswerShaper.NeverCut"/> reduced to its note).
    /// </summary>
    private static int WaterLevel(IReadOnlyList<(int Length, int Weight)> texts, long available)
    {
        long Growth(long unit)
        {
            long total = 0;
            foreach (var (length, weight) in texts)
            {
                if (length <= AnswerShaper.NeverCut) continue;
                var keep = unit * weight;
                total += length <= keep ? length - NoteLength : keep;
            }
            return total;
        }
        long low = 0, high = texts.Count == 0 ? 0 : texts.Max(t => t.Length);
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            if (Growth(middle) <= available) low = middle;
            else high = middle - 1;
        }
        return (int)low;
    }
}
