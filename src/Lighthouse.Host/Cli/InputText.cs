namespace Lighthouse.Host.Cli;

/// <summary>Reads a command's input document from a file, or from standard input when the path is <c>-</c>.</summary>
public static class InputText
{
    public const string StandardInput = "-";

    /// <summary>The whole text; throws <see cref="InputTextException"/> naming the path when it cannot be read.</summary>
    public static string Read(string path, TextReader stdin)
    {
        if (path == StandardInput)
            return stdin.ReadToEnd();
        if (Directory.Exists(path))
            throw new InputTextException($"cannot read \"{path}\": it is a directory");
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InputTextException($"cannot read \"{path}\": no such file", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new InputTextException($"cannot read \"{path}\": permission denied", e);
        }
        catch (IOException e)
        {
            throw new InputTextException($"cannot read \"{path}\": {e.Message}", e);
        }
    }
}

