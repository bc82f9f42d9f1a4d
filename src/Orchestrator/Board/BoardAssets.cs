using System.Reflection;

namespace Orchestrator.Board;

/// <summary>
/// The page's HTML, stylesheet and script, embedded in the binary (<c>EmbeddedResource</c>) and read once through
/// <see cref="Assembly.GetManifestResourceStream(string)"/>, which NativeAOT keeps: nothing is fetched, nothing is
/// installed beside the binary.
/// </summary>
internal static class BoardAssets
{
    public static readonly byte[] Page = Read("board.html");
    public static readonly byte[] Style = Read("board.css");
    public static readonly byte[] Script = Read("board.js");

    private static byte[] Read(string name)
    {
        using var stream = typeof(BoardAssets).Assembly.GetManifestResourceStream("Orchestrator.Board.Assets." + name)
            ?? throw new InvalidOperationException($"the board's {name} is not embedded in this binary");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
