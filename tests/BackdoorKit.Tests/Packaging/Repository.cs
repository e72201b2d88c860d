namespace BackdoorKit.Tests.Packaging;

/// <summary>The repository the tests were built from.</summary>
internal static class Repository
{
    /// <summary>Gets the folder holding BackdoorKit.sln, found above the test assembly.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "BackdoorKit.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("BackdoorKit.sln not found above the test assembly");
    }
}
