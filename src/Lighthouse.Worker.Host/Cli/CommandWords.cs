using System.Text;

namespace Lighthouse.Worker.Cli;

/// <summary>
/// Splits a command line into words the way a POSIX shell does, and does nothing else: no shell runs, so no
/// variables, globs, pipes or redirections. Words are separated by unquoted white space; inside single quotes every
/// character is literal; inside double quotes a backslash escapes only <c>"</c>, <c>\</c>, <c>$</c> and <c>`</c>;
/// outside quotes a backslash makes the next character literal. <c>'a b' "c\"d" e\ f</c> is <c>a b</c>, <c>c"d</c>, <c>e f</c>.
/// </summary>
public static class CommandWords
{
    /// <summary>The words of <paramref name="text"/>; throws <see cref="FormatException"/> for an unclosed quote or a trailing backslash.</summary>
    public static IReadOnlyList<string> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case ' ' or '\t' or '\n' or '\r':
                    if (inWord) words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                    break;
                case '\\':
                    if (++i == text.Length) throw new FormatException("a backslash ends the command: it escapes nothing");
                    word.Append(text[i]);
                    inWord = true;
                    break;
                case '\'':
                    var close = text.IndexOf('\'', i + 1);
                    if (close < 0) throw new FormatException($"the single quote at character {i + 1} is not closed");
                    word.Append(text, i + 1, close - i - 1);
                    i = close;
                    inWord = true;
                    break;
                case '"':
                    var start = i;
                    for (i++; ; i++)
                    {
                        if (i == text.Length) throw new FormatException($"the double quote at character {start + 1} is not closed");
                        if (text[i] == '"') break;
                        if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\' or '$' or '`') i++;
                        word.Append(text[i]);
                    }
                    inWord = true;
                    break;
                default:
                    word.Append(c);
                    inWord = true;
                    break;
            }
        }
        if (inWord) words.Add(word.ToString());
        return words;
    }
}
