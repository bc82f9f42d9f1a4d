using System.Globalization;
using System.Text;

namespace Orchestrator.Benchmarks;

/// <summary>
/// Draws restart latency against the number of tasks in the store as a self-contained SVG (no script, no fonts to
/// fetch), so that <c>bench restart --chart FILE</c> regenerates the figure in docs/performance.md from a run.
/// Task counts are spaced evenly (0 has no place on a log axis); horizontal lines mark the exec floor and the target.
/// The scale follows the medians: a p99 beyond it (a busy machine's outliers) is drawn at the top edge with its value.
/// </summary>
internal static class LatencyChart
{
    public sealed record Point(int Tasks, LatencyStats Answer, LatencyStats Ready);

    private const int Width = 720, Height = 420, Left = 70, Right = 190, Top = 50, Bottom = 60;

    public static string Svg(IReadOnlyList<Point> points, double floorMedianMs, double targetMs, string subtitle)
    {
        var maxY = Math.Max(targetMs * 2, Math.Min(points.Max(p => p.Ready.P99) * 1.15, points.Max(p => p.Ready.Median) * 3));
        var step = NiceStep(maxY / 5);
        maxY = Math.Ceiling(maxY / step) * step;
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        double X(int index) => Left + (points.Count == 1 ? plotWidth / 2.0 : plotWidth * index / (double)(points.Count - 1));
        double Y(double ms) => Top + plotHeight * (1 - Math.Min(ms, maxY) / maxY);
        static string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

        var svg = new StringBuilder();
        svg.Append($"""<svg xmlns="http://www.w3.org/2000/svg" width="{Width}" height="{Height}" viewBox="0 0 {Width} {Height}" font-family="sans-serif" font-size="12">""").Append('\n');
        svg.Append($"""<rect width="{Width}" height="{Height}" fill="white"/>""").Append('\n');
        svg.Append($"""<text x="{Left}" y="22" font-size="15" font-weight="bold">In-place restart latency against tasks in the store</text>""").Append('\n');
        svg.Append($"""<text x="{Left}" y="38" fill="#555">{Escape(subtitle)}</text>""").Append('\n');
        for (var ms = 0.0; ms <= maxY + step / 2; ms += step)
        {
            svg.Append($"""<line x1="{Left}" x2="{Left + plotWidth}" y1="{F(Y(ms))}" y2="{F(Y(ms))}" stroke="#e5e5e5"/>""");
            svg.Append($"""<text x="{Left - 8}" y="{F(Y(ms) + 4)}" text-anchor="end">{F(ms)}</text>""").Append('\n');
        }
        svg.Append($"""<text transform="translate(18 {Top + plotHeight / 2}) rotate(-90)" text-anchor="middle">milliseconds</text>""").Append('\n');
        for (var i = 0; i < points.Count; i++)
            svg.Append($"""<text x="{F(X(i))}" y="{Top + plotHeight + 20}" text-anchor="middle">{points[i].Tasks.ToString("N0", CultureInfo.InvariantCulture)}</text>""").Append('\n');
        svg.Append($"""<text x="{Left + plotWidth / 2}" y="{Height - 18}" text-anchor="middle">tasks stored</text>""").Append('\n');
        svg.Append($"""<line x1="{Left}" x2="{Left}" y1="{Top}" y2="{Top + plotHeight}" stroke="#333"/><line x1="{Left}" x2="{Left + plotWidth}" y1="{Top + plotHeight}" y2="{Top + plotHeight}" stroke="#333"/>""").Append('\n');

        var legend = 0;
        void Horizontal(double ms, string color, string dash, string label)
        {
            svg.Append($"""<line x1="{Left}" x2="{Left + plotWidth}" y1="{F(Y(ms))}" y2="{F(Y(ms))}" stroke="{color}" stroke-width="1.5" stroke-dasharray="{dash}"/>""").Append('\n');
            Legend(color, dash, label, marker: false);
        }
        void Series(Func<Point, double> value, string color, string dash, string label)
        {
            var path = string.Join(' ', points.Select((p, i) => $"{(i == 0 ? 'M' : 'L')}{F(X(i))},{F(Y(value(p)))}"));
            svg.Append($"""<path d="{path}" fill="none" stroke="{color}" stroke-width="2" stroke-dasharray="{dash}"/>""").Append('\n');
            for (var i = 0; i < points.Count; i++)
            {
                var v = value(points[i]);
                svg.Append($"""<circle cx="{F(X(i))}" cy="{F(Y(v))}" r="3.5" fill="{color}"><title>{label}: {v.ToString("0.00", CultureInfo.InvariantCulture)} ms</title></circle>""").Append('\n');
                if (v > maxY) svg.Append($"""<text x="{F(X(i))}" y="{F(Y(v) + 18)}" text-anchor="middle" fill="{color}">↑ {F(v)} ms</text>""").Append('\n');
            }
            Legend(color, dash, label, marker: true);
        }
        void Legend(string color, string dash, string label, bool marker)
        {
            var y = Top + 10 + legend++ * 22;
            var x = Left + plotWidth + 16;
            svg.Append($"""<line x1="{x}" x2="{x + 26}" y1="{y}" y2="{y}" stroke="{color}" stroke-width="2" stroke-dasharray="{dash}"/>""");
            if (marker) svg.Append($"""<circle cx="{x + 13}" cy="{y}" r="3.5" fill="{color}"/>""");
            svg.Append($"""<text x="{x + 32}" y="{y + 4}">{Escape(label)}</text>""").Append('\n');
        }

        Series(p => p.Ready.P99, "#1f77b4", "5 4", "ready, p99");
        Series(p => p.Ready.Median, "#1f77b4", "", "ready, median");
        Series(p => p.Answer.Median, "#2ca02c", "", "answer, median");
        Horizontal(floorMedianMs, "#777", "2 3", "exec floor, median");
        Horizontal(targetMs, "#d62728", "8 4", $"target {F(targetMs)} ms");
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static double NiceStep(double raw)
    {
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var fraction = raw / magnitude;
        return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude;
    }

    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
