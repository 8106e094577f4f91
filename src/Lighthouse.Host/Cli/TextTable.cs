using System.Text;

namespace Lighthouse.Host.Cli;

/// <summary>Left-aligned columns two spaces apart, for the client commands' text output.</summary>
public static class TextTable
{
    public static string Format(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = new List<IReadOnlyList<string>> { headers };
        all.AddRange(rows);
        var widths = headers.Select((_, column) => all.Max(row => row[column].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in all)
        {
            for (var column = 0; column < row.Count; column++)
            {
                var last = column == row.Count - 1;
                text.Append(last ? row[column] : row[column].PadRight(widths[column] + 2));
            }
            text.AppendLine();
        }
        return text.ToString();
    }
}
