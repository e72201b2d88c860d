// One backdoor experiment on the bundled MNIST digits (run eng/prepare-sample-data.sh first): a small CNN trained on a
// training set where 5 % of the images carry a white 3 x 3 px patch in the bottom-right corner and the label 0.
using System.Text.Json;
using BackdoorKit;
using BackdoorKit.Experiments;
using BackdoorKit.Training;

var spec = new ExperimentSpec
{
    Dataset = "mnist-sample",
    Model = "small-cnn",
    FreezeStrategy = "full",
    Protocol = "paper-text",
    Weights = "random",
    InputSize = 32,
    Trigger = new TriggerSpec(Size: 0.1, Position: "bottom-right", Color: "#FFFFFF"),
    PoisoningRate = 0.05,
    TargetClass = 0,
    Seed = 1,
    Training = TrainingOptions.Default with { Epochs = 3, BatchSize = 64 },
};

using var runner = new ExperimentRunner(new ExperimentRunnerOptions { DataRoot = args.Length > 0 ? args[0] : "data" });
var progress = new Progress<TrainingProgress>(p =>
    Console.Error.Write($"\repoch {p.Epoch}/{p.Epochs} step {p.Step}/{p.StepsPerEpoch} loss {p.Loss:F3} ETA {p.Remaining:mm\\:ss} "));
ExperimentResult result = runner.Run(spec, progress);
Console.Error.WriteLine();
Console.WriteLine(JsonSerializer.Serialize(result, BackdoorKitJson.Options));
