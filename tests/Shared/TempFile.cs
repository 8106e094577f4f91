namespace Lighthouse.Tests.Shared;

/// <summary>A uniquely named file under the temp directory (an input or a config file for a command), deleted on dispose.</summary>
internal sealed class TempFile : IDisposable
{
    public TempFile(string content)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"lighthouse-test-{Guid.NewGuid():N}.json");
        File.WriteAllText(Path, content);
    }

    public string Path { get; }

    public void Dispose() => File.Delete(Path);
}
