using Microsoft.Extensions.Logging;
using BackdoorKit.Runtime;
using TorchSharp;

namespace BackdoorKit.Tests.Runtime;

public class TorchRuntimeTests
{
    [Fact]
    public void EnsureInitialized_LoadsLibTorch_AndRecordsWhyItChoseItsOneDnnSetting()
    {
        NativeRuntimeInfo info = TorchRuntime.EnsureInitialized();

        info.OneDnnReason.Should().NotBeNullOrWhiteSpace();
        info.TorchSharpVersion.Should().StartWith("0.107");
        using var x = torch.ones(2, 2);
        x.sum().item<float>().Should().Be(4f);
    }

    [Fact]
    public void EnsureInitialized_AgainWithOtherOptions_WarnsThatTheyChangeNothing_AndWithNoneOrTheSameStaysQuiet()
    {
        TorchRuntime.EnsureInitialized();
        var logger = new Models.ListLogger();
        NativeRuntimeOptions inForce = TorchRuntime.OptionsInForce!;

        TorchRuntime.EnsureInitialized(logger: logger);
        TorchRuntime.EnsureInitialized(inForce with { }, logger);
        logger.Entries.Should().BeEmpty();

        TorchRuntime.EnsureInitialized(inForce with { KeepFreedMemory = !inForce.KeepFreedMemory }, logger);

        logger.Entries.Should().ContainSingle().Which.Should().Match<(LogLevel Level, string Message)>(
            e => e.Level == LogLevel.Warning && e.Message.Contains("change nothing", StringComparison.Ordinal) && e.Message.Contains("KeepFreedMemory", StringComparison.Ordinal));
    }

    [Fact]
    public void EnsureInitialized_OnAMachineThatHidesCpuCaches_CapsOneDnnUnlessOverridden()
    {
        NativeRuntimeInfo info = TorchRuntime.EnsureInitialized();
        if (Environment.GetEnvironmentVariable(NativeRuntimeOptions.OneDnnEnvironmentVariable) is { Length: > 0 })
        {
            info.OneDnnReason.Should().Be("requested");
            return;
        }

        info.OneDnn.Should().Be(TorchRuntime.CpuCacheInformationVisible() ? "default" : "avx-cap");
    }

    [Fact]
    public void EnsureInitialized_WhereCpuCachesAreHidden_TurnsNnpackOff()
    {
        TorchRuntime.EnsureInitialized();

        TorchRuntime.NnpackEnabled().Should().Be(
            TorchRuntime.CpuCacheInformationVisible(), "NNPACK cannot initialise without cache information and would log a warning per convolution");
    }

    [Fact]
    public void LoadFailureMessage_WhenTheCxxRuntimeIsOld_NamesTheSymbolAndTheFix()
    {
        string message = TorchRuntime.LoadFailureMessage(glibcxxPresent: false);

        message.Should().Contain("GLIBCXX_3.4.32").And.Contain("libstdc++6").And.Contain("eng/install-native-runtime.sh");
        message.Should().NotContain("\n");
    }

    [Fact]
    public void LoadFailureMessage_WhenTheCxxRuntimeIsFine_PointsAtTheNativePackage()
    {
        TorchRuntime.LoadFailureMessage(glibcxxPresent: true).Should().Contain("TorchSharp-cpu");
    }

    [Theory]
    [InlineData("auto", OneDnnMode.Auto)]
    [InlineData("AVX", OneDnnMode.CapAtAvx)]
    [InlineData("off", OneDnnMode.Disabled)]
    [InlineData("default", OneDnnMode.Default)]
    public void ParseOneDnnMode_AcceptsTheDocumentedWords(string value, OneDnnMode expected) =>
        NativeRuntimeOptions.ParseOneDnnMode(value).Should().Be(expected);

    [Fact]
    public void ParseOneDnnMode_RejectsOtherWords_NamingVariableAndAllowedValues()
    {
        Action act = () => NativeRuntimeOptions.ParseOneDnnMode("fast");

        act.Should().Throw<ArgumentException>().WithMessage("*BACKDOORKIT_ONEDNN*fast*auto, default, avx, off*");
    }
}
