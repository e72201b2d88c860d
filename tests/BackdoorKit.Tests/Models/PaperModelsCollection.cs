namespace BackdoorKit.Tests.Models;

/// <summary>Shares one <see cref="PaperModelsFixture"/> between the test classes that inspect the paper's four models.</summary>
[CollectionDefinition(Name)]
public sealed class PaperModelsCollection : ICollectionFixture<PaperModelsFixture>
{
    public const string Name = "Paper models";
}
