using System.Globalization;
using Lighthouse.Protocol;

namespace Lighthouse.Host.Cli;

/// <summary>
/// Shows a waited-for task's progress: on a terminal one bar redrawn in place, e.g.
/// <c>[############------------------]  40% running on node-1</c>; when the output is redirected one plain line per
/// change, so logs and scripts read a clean history.
/// </summary>
public sealed class ProgressDisplay(TextWriter output, bool interactive) : IProgress<TaskInfo>
{
    private const int BarWidth = 30;
    private int _drawn;

    /// <summary>True when <paramref name="output"/> is the process's console output and that is a terminal.</summary>
    public static bool IsTerminal(TextWriter output) => ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;

    public void Report(TaskInfo value)
    {
        if (!interactive)
        {
            output.WriteLine(TaskInfoText.Summary(value));
            return;
        }
        var filled = (int)Math.Round(Math.Clamp(value.Progress, 0, 100) / 100 * BarWidth);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"[{new string('#', filled)}{new string('-', BarWidth - filled)}] {value.Progress,3:0}% {Label(value)}");
        // Pad over whatever a longer previous line left behind.
        output.Write("\r" + line.PadRight(_drawn));
        output.Flush();
        _drawn = line.Length;
    }

    /// <summary>Ends the bar's line, so what follows starts on a fresh one.</summary>
    public void Finish()
    {
        if (interactive && _drawn > 0) output.WriteLine();
        _drawn = 0;
    }

    private static string Label(TaskInfo info) => info.State switch
    {
        TaskState.Running => $"running on {info.Node}" + (info.CancelRequested ? ", cancel requested" : ""),
        _ => TaskInfoText.Summary(info),
    };
}
