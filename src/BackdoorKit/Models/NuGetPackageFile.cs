namespace BackdoorKit.Models;

/// <summary>
/// A file that a NuGet package ships, such as an ONNX model, and where to find it after restore: next to the
/// application (where the package's own build props copy it), then in the NuGet global packages folder
/// (<c>NUGET_PACKAGES</c>, or <c>~/.nuget/packages</c>). docs/weights.md explains how a project gets it restored.
/// </summary>
/// <param name="PackageId">The package's id, e.g. <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c>.</param>
/// <param name="Version">The package's exact version, e.g. <c>0.23.1</c>.</param>
/// <param name="PathInPackage">The file's path inside the package, with forward slashes.</param>
/// <param name="PathInOutput">The file's path relative to the application's folder when a build copied it there.</param>
public sealed record NuGetPackageFile(string PackageId, string Version, string PathInPackage, string PathInOutput)
{
    /// <summary>Gets the file's name.</summary>
    public string FileName => Path.GetFileName(PathInPackage);

    /// <summary>Gets the short description recorded with results: <c>nuget:&lt;id&gt;/&lt;version&gt;/&lt;file name&gt;</c>.</summary>
    public string Description => $"nuget:{PackageId}/{Version}/{FileName}";

    /// <summary>Lists the paths searched for the file, in order.</summary>
    /// <returns>The application folder's copy, then the copy in the NuGet global packages folder.</returns>
    public IReadOnlyList<string> Candidates()
    {
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(home, ".nuget", "packages");
        string[] inPackage = PathInPackage.Split('/');
        string[] inOutput = PathInOutput.Split('/');
        return
        [
            Path.Combine([AppContext.BaseDirectory, .. inOutput]),
            Path.Combine([packages, PackageId.ToLowerInvariant(), Version.ToLowerInvariant(), .. inPackage]),
        ];
    }

    /// <summary>Finds the file.</summary>
    /// <returns>The first candidate path that is a file.</returns>
    /// <exception cref="ModelWeightsException">No candidate exists; the message names them and how to restore the package.</exception>
    public string Locate()
    {
        IReadOnlyList<string> candidates = Candidates();
        return candidates.FirstOrDefault(File.Exists) ?? throw new ModelWeightsException(
            $"{FileName} from NuGet package {PackageId} {Version} was not found; looked at {string.Join(", ", candidates)}. " +
            $"Restore the package (a PackageDownload of {PackageId} [{Version}] in any project; docs/weights.md), set " +
            "NUGET_PACKAGES to the packages folder, or pass the file with --weights.",
            candidates[^1]);
    }
}
