using System.Runtime.CompilerServices;
using System.Xml.Linq;
using BackdoorKit.Experiments;
using BackdoorKit.Runtime;
using ReproducePaper.Cli;

namespace BackdoorKit.Tests.Samples;

/// <summary>The CLI's one exception-to-exit-code map against the exceptions the library documents.</summary>
public sealed class ExitCodesTests
{
    [Fact]
    public void Map_KnowsEveryExceptionTheLibraryDocuments()
    {
        string xml = Path.Combine(AppContext.BaseDirectory, "BackdoorKit.xml");
        Type[] documented = [.. XDocument.Load(xml).Descendants("exception")
            .Select(e => (string?)e.Attribute("cref"))
            .OfType<string>()
            .Where(cref => cref.StartsWith("T:", StringComparison.Ordinal))
            .Select(cref => cref[2..])
            .Distinct()
            .Select(name => AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(name)).FirstOrDefault(t => t is not null)
                ?? throw new InvalidOperationException($"documented exception type {name} not found"))];

        documented.Should().Contain(typeof(NativeRuntimeException)).And.HaveCountGreaterThan(8);
        documented.Where(t => ExitCodes.Map((Exception)RuntimeHelpers.GetUninitializedObject(t)) is null)
            .Should().BeEmpty("every exception the library documents must reach the user as one line and a documented exit code");
    }

    [Theory]
    [InlineData(typeof(ArgumentOutOfRangeException), 2)]
    [InlineData(typeof(ExperimentMatrixException), 2)]
    [InlineData(typeof(NativeRuntimeException), 1)]
    [InlineData(typeof(OperationCanceledException), 130)]
    [InlineData(typeof(TaskCanceledException), 130)]
    public void Map_GivesTheDocumentedCode(Type type, int code) =>
        ExitCodes.Map((Exception)RuntimeHelpers.GetUninitializedObject(type))!.Value.Code.Should().Be(code);

    [Fact]
    public void Map_UnwrapsASingleAggregate_AndKeepsTheMessageOnOneLine()
    {
        var wrapped = new AggregateException(new AggregateException(new InvalidDataException("matrix.json: broken\nat line 3")));

        ExitCodes.Map(wrapped).Should().Be((2, "matrix.json: broken at line 3"));
    }

    [Fact]
    public void Map_LetsUnknownBugsCrash() => ExitCodes.Map(new NullReferenceException()).Should().BeNull();
}
