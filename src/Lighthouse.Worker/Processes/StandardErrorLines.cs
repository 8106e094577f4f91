using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Lighthouse.Worker.Processes;

/// <summary>
/// Reads a task process's standard error as it arrives: a line <c>progress N</c> (N from 0 to 100) is reported as
/// progress, every other line is kept, the last <see cref="TailChars"/> characters of them, for the task's error.
/// Plain state, fed chunks of text in order by one reader.
/// </summary>
internal sealed partial class StandardErrorLines(IProgress<double> progress)
{
    /// <summary>How much of the other lines is kept: the last 16 KB of text.</summary>
    public const int TailChars = 16 * 1024;

    private readonly StringBuilder _line = new();
    private readonly LinkedList<string> _tail = new();
    private int _tailChars;
    private bool _lineCut;

    /// <summary>Takes the next piece of standard error; lines may be split anywhere between pieces.</summary>
    public void Append(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c == '\n')
            {
                EndLine();
                continue;
            }
            // A line longer than the whole tail keeps only its start: it could not be kept whole anyway.
            if (_line.Length < TailChars) _line.Append(c);
            else _lineCut = true;
        }
    }

    /// <summary>The stream has ended: a last line without a newline still counts.</summary>
    public void Complete()
    {
        if (_line.Length > 0 || _lineCut) EndLine();
    }

    /// <summary>The kept lines, oldest first, joined by newlines and trimmed; empty when there were none.</summary>
    public string Tail => string.Join('\n', _tail).Trim();

    private void EndLine()
    {
        var line = _line.ToString().TrimEnd('\r');
        if (_lineCut) line += "…";
        _line.Clear();
        _lineCut = false;
        var match = ProgressLine().Match(line);
        if (match.Success && double.TryParse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var percent) && percent <= 100)
        {
            progress.Report(percent);
            return;
        }
        _tail.AddLast(line);
        _tailChars += line.Length + 1;
        while (_tailChars > TailChars && _tail.Count > 1)
        {
            _tailChars -= _tail.First!.Value.Length + 1;
            _tail.RemoveFirst();
        }
    }

    [GeneratedRegex(@"^\s*progress\s+([0-9]+(?:\.[0-9]+)?)\s*$")]
    private static partial Regex ProgressLine();
}
