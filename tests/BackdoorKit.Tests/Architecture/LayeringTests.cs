using System.Text.RegularExpressions;
using BackdoorKit.Tests.Packaging;

namespace BackdoorKit.Tests.Architecture;

/// <summary>
/// The library's feature folders (= namespaces) form one-way layers: code in a folder may use the folders below it, never
/// one above. Read from the sources (usings and qualified names outside XML docs), so a new upward reference fails here
/// with the file and line.
/// </summary>
public sealed partial class LayeringTests
{
    // Bottom to top. Each folder may reference only folders to its left.
    private static readonly string[] Layers =
    [
        "Runtime", "IO", "Metrics", "Triggers", "Data", "Poisoning", "Models", "Protocols", "Training", "Features",
        "Explainability", "Defenses", "Experiments", "Results", "Studies", "DependencyInjection",
    ];

    private static string Source => Path.Combine(Repository.Root, "src", "BackdoorKit");

    [Fact]
    public void Layers_NameEveryFeatureFolderOfTheLibrary()
    {
        string[] folders = [.. Directory.GetDirectories(Source).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj")).Cast<string>()];

        folders.Should().BeEquivalentTo(Layers, "a new folder must get its place in the layers");
    }

    [Fact]
    public void EveryFolder_ReferencesOnlyFoldersBelowIt()
    {
        var upward = new List<string>();
        foreach ((string layer, int level) in Layers.Select((l, i) => (l, i)))
        {
            foreach (string file in Directory.EnumerateFiles(Path.Combine(Source, layer), "*.cs", SearchOption.AllDirectories))
            {
                string[] lines = File.ReadAllLines(file);
                for (int n = 0; n < lines.Length; n++)
                {
                    if (lines[n].TrimStart().StartsWith("///", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    foreach (Match m in Reference().Matches(lines[n]))
                    {
                        int target = Array.IndexOf(Layers, m.Groups["ns"].Value);
                        if (target > level)
                        {
                            upward.Add($"{Path.GetRelativePath(Repository.Root, file)}:{n + 1}: {layer} uses {Layers[target]}");
                        }
                    }
                }
            }
        }

        upward.Should().BeEmpty();
    }

    [Fact]
    public void ImageCodecs_AreUsedOnlyInData()
    {
        string[] users = [.. Directory.EnumerateFiles(Source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f).Contains("SixLabors.ImageSharp", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(Source, f))];

        users.Should().NotBeEmpty().And.OnlyContain(f => f.StartsWith("Data" + Path.DirectorySeparatorChar, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("using BackdoorKit.Results;", "Results")]
    [InlineData("    private readonly Features.FeatureCacheOptions options;", "Features")]
    [InlineData("var x = BackdoorKit.Studies.StudyRunner.Create();", "Studies")]
    [InlineData("return spec.Training.Epochs;", null)]
    [InlineData("int Models = 3;", null)]
    public void Reference_FindsUsingsAndQualifiedNames_NotMembers(string line, string? expected)
    {
        Match m = Reference().Match(line);

        (m.Success ? m.Groups["ns"].Value : null).Should().Be(expected);
    }

    // "BackdoorKit.X", or a bare "X." qualification (not a member access "a.X.") followed by a type name.
    [GeneratedRegex(@"(?:\bBackdoorKit\.|(?<![\w.]))(?<ns>Runtime|IO|Metrics|Triggers|Data|Poisoning|Models|Protocols|Training|Features|Explainability|Defenses|Experiments|Results|Studies|DependencyInjection)(?:\.[A-Z]|;)")]
    private static partial Regex Reference();
}
