using BackdoorKit.Experiments;

namespace BackdoorKit.Tests.Experiments;

/// <summary>A valid one-cell matrix (MNIST, small-cnn, one size, position, color and rate) for tests to vary.</summary>
internal static class SmallMatrix
{
    public static ExperimentMatrix Valid { get; } = new()
    {
        Name = "small",
        Datasets = [new DatasetEntry { Name = "mnist" }],
        Models = ["small-cnn"],
        FreezeStrategy = "full",
        TriggerSizes = [0.08],
        Positions = ["middle"],
        Colors = ["#FFFFFF"],
        PoisoningRates = [0.01],
        Repetitions = 1,
    };

    /// <summary>A matrix JSON with the given members added to a valid one-cell matrix.</summary>
    public static string Json(string members) =>
        $$"""{ "datasets": [ { "name": "mnist" } ], "models": [ "small-cnn" ], "freezeStrategy": "full"{{(members.Length == 0 ? string.Empty : ", " + members)}} }""";

    /// <summary>Distinct rates in (0, 1] that each poison MNIST samples: 0.001, 0.002, ...</summary>
    public static double[] Rates(int count) => [.. Enumerable.Range(1, count).Select(i => i / 1000.0)];

    /// <summary>Asserts that validation rejects <paramref name="matrix"/> with <paramref name="message"/>, naming the entry the message starts with.</summary>
    public static void ShouldBeRejectedWith(ExperimentMatrix matrix, string message)
    {
        Action act = () => matrix.Validate();

        act.Should().Throw<ExperimentMatrixException>().WithMessage(message)
            .Which.Entry.Should().Be(message[..message.IndexOf(' ', StringComparison.Ordinal)]);
    }
}
