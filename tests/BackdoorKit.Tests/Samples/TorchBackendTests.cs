using System.Diagnostics;
using System.Text.Json;

namespace BackdoorKit.Tests.Samples;

/// <summary>The MSBuild switch that picks the native LibTorch package of an application (eng/TorchBackend.props).</summary>
[Trait("Category", "Integration")]
public sealed class TorchBackendTests
{
    private static readonly string Root = FindRoot();

    [Theory]
    [InlineData(null, "TorchSharp-cpu")]
    [InlineData("cpu", "TorchSharp-cpu")]
    [InlineData("cuda", "TorchSharp-cuda-linux")]
    public void ReproducePaper_ReferencesTheNativePackageOfTheBackend(string? backend, string package)
    {
        (int code, string output) = Msbuild("-getItem:PackageReference", backend is null ? null : $"-p:TorchBackend={backend}");

        code.Should().Be(0, output);
        string[] references = [.. JsonDocument.Parse(output).RootElement.GetProperty("Items").GetProperty("PackageReference")
            .EnumerateArray().Select(item => item.GetProperty("Identity").GetString()!)];
        references.Should().Contain(package).And.ContainSingle(r => r.StartsWith("TorchSharp-", StringComparison.Ordinal));
    }

    [Fact]
    public void AnUnknownBackend_FailsTheBuildNamingIt()
    {
        (int code, string output) = Msbuild("-t:CheckTorchBackend", "-p:TorchBackend=rocm");

        code.Should().NotBe(0);
        output.Should().Contain("TorchBackend 'rocm' is not known; use cpu (default) or cuda.");
    }

    [Fact]
    public void TheLibrary_ReferencesOnlyManagedTorchSharp() =>
        File.ReadAllText(Path.Combine(Root, "src", "BackdoorKit", "BackdoorKit.csproj")).Should().NotContain("TorchSharp-");

    private static (int Code, string Output) Msbuild(params string?[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Root };
        foreach (string argument in new[] { "msbuild", Path.Combine("samples", "ReproducePaper", "ReproducePaper.csproj"), "-nologo" }.Concat(arguments.OfType<string>()))
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }

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
