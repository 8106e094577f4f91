using Lighthouse.Worker.Cli;

namespace Lighthouse.Worker.Tests.Cli;

public sealed class CommandWordsTests
{
    [Theory]
    [InlineData("python3 /srv/render.py", new[] { "python3", "/srv/render.py" })]
    [InlineData("  a \t b\n c  ", new[] { "a", "b", "c" })]
    [InlineData("'a b' \"c\\\"d\" e\\ f", new[] { "a b", "c\"d", "e f" })]
    [InlineData("'it''s' \"$HOME\" `x` ; | > *", new[] { "its", "$HOME", "`x`", ";", "|", ">", "*" })]
    [InlineData("\"a\\nb\" 'c\\d'", new[] { "a\\nb", "c\\d" })]
    [InlineData("'' \"\" x", new[] { "", "", "x" })]
    [InlineData("", new string[0])]
    public void Splits_like_a_shell_without_expanding_anything(string text, string[] words) =>
        Assert.Equal(words, CommandWords.Split(text));

    [Theory]
    [InlineData("python3 'render.py", "the single quote at character 9 is not closed")]
    [InlineData("echo \"abc", "the double quote at character 6 is not closed")]
    [InlineData("echo \\", "a backslash ends the command: it escapes nothing")]
    public void An_unclosed_quote_or_a_trailing_backslash_is_refused(string text, string problem) =>
        Assert.Equal(problem, Assert.Throws<FormatException>(() => CommandWords.Split(text)).Message);
}
