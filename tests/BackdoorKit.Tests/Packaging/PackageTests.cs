using System.Diagnostics;
using System.IO.Compression;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;
using BackdoorKit.Tests.Data.Fixtures;

namespace BackdoorKit.Tests.Packaging;

/// <summary>
/// The BackdoorKit package as <c>dotnet pack</c> makes it, opened as the zip it is: an AnyCPU assembly, dependency floors
/// that a .NET 10 application can meet, the package README, and a symbol package beside it.
/// </summary>
[Trait("Category", "Packaging")]
[Trait("Category", "Integration")]
public sealed class PackageTests(PackageTests.PackedLibrary packed) : IClassFixture<PackageTests.PackedLibrary>
{
    private const string Dll = "lib/net10.0/BackdoorKit.dll";

    [Fact]
    public void TheAssembly_IsAnyCpu()
    {
        using var dll = new MemoryStream(packed.Read(Dll));
        using var reader = new PEReader(dll);
        CorHeader cor = reader.PEHeaders.CorHeader!;

        cor.Flags.Should().HaveFlag(CorFlags.ILOnly);
        cor.Flags.Should().NotHaveFlag(CorFlags.Requires32Bit).And.NotHaveFlag(CorFlags.Prefers32Bit);
        reader.PEHeaders.CoffHeader.Machine.Should().BeOneOf(Machine.I386, Machine.Unknown);
    }

    [Fact]
    public void TheMicrosoftDependencies_AskForNoMoreThanDotNet10()
    {
        Dictionary<string, string> floors = Dependencies();

        floors.Should().ContainKeys(
            "Microsoft.Extensions.DependencyInjection.Abstractions", "Microsoft.Extensions.Logging.Abstractions", "Microsoft.Data.Sqlite");
        foreach ((string id, string range) in floors.Where(d => d.Key.StartsWith("Microsoft.", StringComparison.Ordinal)))
        {
            Version floor = Floor(range);
            floor.Major.Should().BeLessThanOrEqualTo(10, $"{id} {range} must not lift a .NET 10 application's {id} (NU1605)");
        }
    }

    [Fact]
    public void BuildOnlyPackages_AreNoDependencies() =>
        Dependencies().Keys.Should().NotContain("Grpc.Tools").And.NotContain(id => id.StartsWith("TorchSharp-", StringComparison.Ordinal));

    [Fact]
    public void ThePackageReadme_IsPackedAndStartsWithTheInstallCommand()
    {
        string readmePath = Metadata("readme");
        string readme = System.Text.Encoding.UTF8.GetString(packed.Read(readmePath));

        readmePath.Should().Be("PACKAGE.md");
        string firstCode = readme[(readme.IndexOf("```", StringComparison.Ordinal) + 3)..];
        firstCode.TrimStart().Should().StartWith("dotnet add package BackdoorKit");
        readme.Should().NotContain("](docs/").And.NotContain("](./").And.NotContain("bash eng/");
    }

    [Fact]
    public void TheNuspec_NamesAGitRepository() =>
        packed.Nuspec.Descendants(packed.Nuspec.Root!.Name.Namespace + "repository").Single().Attribute("type")!.Value.Should().Be("git");

    [Fact]
    public void ASymbolPackage_HoldsThePdb()
    {
        string snupkg = Path.ChangeExtension(packed.PackagePath, ".snupkg");

        File.Exists(snupkg).Should().BeTrue(packed.PackOutput);
        using ZipArchive symbols = ZipFile.OpenRead(snupkg);
        symbols.Entries.Select(e => e.FullName).Should().Contain("lib/net10.0/BackdoorKit.pdb");
    }

    private static Version Floor(string range)
    {
        // "1.2.3" or "[1.2.3, )": the lowest version a range accepts, with any prerelease label dropped.
        string lowest = range.Trim('[', '(').Split(',')[0].Trim().Split('-')[0];
        return Version.Parse(lowest);
    }

    private Dictionary<string, string> Dependencies()
    {
        XNamespace ns = packed.Nuspec.Root!.Name.Namespace;
        return packed.Nuspec.Descendants(ns + "dependency").ToDictionary(d => d.Attribute("id")!.Value, d => d.Attribute("version")!.Value);
    }

    private string Metadata(string name) =>
        packed.Nuspec.Root!.Element(packed.Nuspec.Root.Name.Namespace + "metadata")!.Element(packed.Nuspec.Root.Name.Namespace + name)?.Value
        ?? throw new InvalidOperationException($"the nuspec has no <{name}>");

    /// <summary>Packs src/BackdoorKit once (Release, into a temporary folder) for all the tests of the class.</summary>
    public sealed class PackedLibrary : IDisposable
    {
        private static readonly TimeSpan PackTimeLimit = TimeSpan.FromMinutes(5);
        private readonly TempDirectory folder = new();

        public PackedLibrary()
        {
            PackOutput = Pack(folder.Path);
            string[] packages = Directory.GetFiles(folder.Path, "BackdoorKit.*.nupkg");
            packages.Should().ContainSingle(PackOutput);
            PackagePath = packages[0];
            using ZipArchive package = ZipFile.OpenRead(PackagePath);
            using Stream nuspec = package.GetEntry("BackdoorKit.nuspec")!.Open();
            Nuspec = XDocument.Load(nuspec);
        }

        public string PackagePath { get; }

        public string PackOutput { get; }

        public XDocument Nuspec { get; }

        public byte[] Read(string entry)
        {
            using ZipArchive package = ZipFile.OpenRead(PackagePath);
            ZipArchiveEntry found = package.GetEntry(entry) ?? throw new InvalidOperationException(
                $"the package has no {entry}; it has {string.Join(", ", package.Entries.Select(e => e.FullName))}");
            using Stream stream = found.Open();
            using var bytes = new MemoryStream();
            stream.CopyTo(bytes);
            return bytes.ToArray();
        }

        public void Dispose() => folder.Dispose();

        private static string Pack(string output)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = Repository.Root,
            };
            foreach (string argument in new[]
            {
                "pack", Path.Combine("src", "BackdoorKit", "BackdoorKit.csproj"), "-c", "Release", "-o", output,
                "--nologo", "--disable-build-servers",
            })
            {
                start.ArgumentList.Add(argument);
            }

            using Process process = Process.Start(start)!;
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(PackTimeLimit))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"dotnet pack did not finish within {PackTimeLimit}.");
            }

            string text = stdout.Result + stderr.Result;
            process.ExitCode.Should().Be(0, text);
            return text;
        }
    }
}
