namespace Lighthouse.Host.Tests;

/// <summary>A uniquely named file under the temp directory, deleted on dispose.</summary>
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
