namespace Lighthouse.Host.Tests;

/// <summary>Files of the repository the tests run from, found by walking up to <c>Lighthouse.sln</c>.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Examples => Path.Combine(Root, "config", "examples");

    public static string Example(string file) => Path.Combine(Examples, file);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Lighthouse.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException($"no Lighthouse.sln above {AppContext.BaseDirectory}");
    }
}
