using BackdoorKit.Experiments;
using BackdoorKit.Protocols;
using BackdoorKit.Triggers;

namespace BackdoorKit.Reporting.Tests;

/// <summary>Builds result records without training: the ASR and accuracy come from functions the test chooses.</summary>
internal static class SyntheticResults
{
    public static readonly double[] Sizes = [0.04, 0.06, 0.08];
    public static readonly string[] Positions = ["top-left", "top-right", "middle", "bottom-left", "bottom-right"];
    public static readonly string[] Colors = ["#000000", "#FFFFFF"];
    public static readonly double[] Rates = [0.005, 0.01, 0.015, 0.02];

    public static ExperimentSpec Spec(string model, double size, string position, string color, double rate, int repetition, string freeze = "paper-text") => new()
    {
        Dataset = "mnist",
        Model = model,
        FreezeStrategy = freeze,
        Protocol = "paper-text",
        Trigger = new TriggerSpec(size, position, color),
        PoisoningRate = rate,
        Repetition = repetition,
        Seed = repetition,
    };

    public static ExperimentSpec Clean(string model, int repetition) => new()
    {
        Dataset = "mnist",
        Model = model,
        FreezeStrategy = "paper-text",
        Protocol = "paper-text",
        Repetition = repetition,
        Seed = repetition,
    };

    public static ExperimentResult Result(ExperimentSpec spec, double accuracy, double? asr) => new()
    {
        ExperimentId = spec.Id,
        Spec = spec,
        Protocol = ComponentCatalog.Default.Protocols.Get(spec.Protocol),
        Seed = spec.Seed,
        CleanAccuracy = accuracy,
        AttackSuccessRate = asr,
        AttackSuccessRateIncludingTarget = asr,
        Trigger = spec.Trigger is { } t
            ? new TriggerGeometry(0, 0, (int)Math.Round(t.Size * 64), (int)Math.Round(t.Size * 64), TriggerCanvas.ModelInput, 64, 64, "patch")
            : null,
        TrainableParameters = 10,
        TotalParameters = 100,
        FinishedAt = DateTimeOffset.UnixEpoch,
    };

    /// <summary>The full grid for two models and two repetitions, ASR from <paramref name="asr"/>, plus clean baselines.</summary>
    public static List<ExperimentResult> Grid(Func<ExperimentSpec, double> asr, Func<ExperimentSpec, double>? accuracy = null)
    {
        var results = new List<ExperimentResult>();
        foreach (string model in new[] { "alexnet", "resnet152" })
        {
            for (int repetition = 0; repetition < 2; repetition++)
            {
                results.Add(Result(Clean(model, repetition), 0.99, null));
                foreach (double size in Sizes)
                {
                    foreach (string position in Positions)
                    {
                        foreach (string color in Colors)
                        {
                            foreach (double rate in Rates)
                            {
                                ExperimentSpec spec = Spec(model, size, position, color, rate, repetition);
                                results.Add(Result(spec, accuracy?.Invoke(spec) ?? 0.98, asr(spec)));
                            }
                        }
                    }
                }
            }
        }

        return results;
    }

    /// <summary>
    /// The <c>quick</c> preset's two blocks for one model and two repetitions: size x rate x white/black at the bottom-right
    /// corner, and position x color at size 8 % and rate 2 %; ASR from <paramref name="asr"/>, plus clean baselines.
    /// </summary>
    public static List<ExperimentResult> QuickBlocks(Func<ExperimentSpec, double> asr)
    {
        var specs = new List<ExperimentSpec>();
        for (int repetition = 0; repetition < 2; repetition++)
        {
            specs.Add(Clean("small-cnn", repetition));
            specs.AddRange(from size in Sizes from color in Colors from rate in Rates select Spec("small-cnn", size, "bottom-right", color, rate, repetition));
            specs.AddRange(from position in Positions from color in Colors select Spec("small-cnn", 0.08, position, color, 0.02, repetition));
        }

        return [.. specs.DistinctBy(s => s.Id).Select(s => Result(s, 0.98, s.Trigger is null ? null : asr(s)))];
    }
}
