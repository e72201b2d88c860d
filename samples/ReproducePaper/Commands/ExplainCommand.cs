using System.Globalization;
using BackdoorKit.Experiments;
using BackdoorKit.Results;
using BackdoorKit.Explainability;
using BackdoorKit.Models;
using BackdoorKit.Poisoning;
using BackdoorKit.Reporting.Figures;
using BackdoorKit.Training;
using BackdoorKit.Triggers;
using ReproducePaper.Cli;
using Spectre.Console.Cli;
using static TorchSharp.torch;

namespace ReproducePaper.Commands;

/// <summary>
/// <c>explain</c> (<see cref="ExplainSettings"/>): restores (when the study saved its models, <c>run --save-models</c>)
/// or retrains a backdoored experiment of the study (by default the one with the highest attack success rate) and its
/// clean counterpart from their specs, and writes the paper's Grad-CAM
/// attention figure (rows: clean and backdoored model; columns: clean and backdoor input, each for the clean and the
/// target label) and the backdoored model's feature-map comparison to <c>DIR/report/figures</c>, each with a JSON caption.
/// </summary>
internal sealed class ExplainCommand : Command<ExplainSettings>
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, ExplainSettings settings, CancellationToken cancellationToken)
    {
        string folder = settings.Out;
        int? index = settings.Index;
        IReadOnlyList<ExperimentResult> results;
        using (var store = StudyFolder.OpenExistingStore(folder))
        {
            results = store.ReadAll();
        }

        ExperimentResult backdoored = PickBackdoored(results, settings.Experiment);
        if (index >= backdoored.TestSamples && backdoored.TestSamples > 0)
        {
            // Checked before the two trainings: the stored result says how many test images the experiment used.
            throw new UsageException($"option --index {index} is out of range: the test set has {backdoored.TestSamples} images (0 to {backdoored.TestSamples - 1})");
        }

        (ExperimentSpec cleanSpec, bool fromStudy) = ResultSelection.CleanCounterpart(results, backdoored.Spec);
        string cleanSource = fromStudy ? "from the study" : "not in the study: the backdoored spec with poisoning rate 0";
        Terminal.Line($"backdoored: {backdoored.ExperimentId} ({Describe(backdoored.Spec)}), recorded ASR {backdoored.AttackSuccessRate:F4}, clean accuracy {backdoored.CleanAccuracy:F4}");
        Terminal.Line($"clean counterpart: {cleanSpec.Id} ({cleanSource})");

        using var runner = new ExperimentRunner(new ExperimentRunnerOptions { DataRoot = settings.Data, WeightsDirectory = settings.Weights });
        string models = StudyFolder.ModelsDirectory(folder);
        using TrainedExperiment poisoned = TrainOrRestore(runner, backdoored.Spec, "backdoored", models, cancellationToken);
        using TrainedExperiment clean = TrainOrRestore(runner, cleanSpec, "clean", models, cancellationToken);
        AttentionFigureOptions options = AttentionFigureOptions.Default with { Channels = settings.Channels ?? AttentionFigureOptions.Default.Channels };
        return WriteFigures(folder, poisoned, clean, index, options);
    }

    /// <summary>Finds the named backdoored experiment (<see cref="ResultSelection.NamedBackdoor"/>), or the most successful one (<see cref="ResultSelection.MostSuccessfulBackdoor"/>).</summary>
    private static ExperimentResult PickBackdoored(IReadOnlyList<ExperimentResult> results, string? experimentId) => experimentId is null
        ? ResultSelection.MostSuccessfulBackdoor(results)
            ?? throw new UsageException($"the study holds no finished backdoored experiment ({results.Count} results); run some first")
        : OptionValue.Parse("--experiment", experimentId, id => ResultSelection.NamedBackdoor(results, id));

    // A model the study saved (run --save-models) is restored; any other is trained again from its spec.
    private static TrainedExperiment TrainOrRestore(ExperimentRunner runner, ExperimentSpec spec, string role, string models, CancellationToken cancellationToken)
    {
        string saved = ExperimentRunner.SavedModelPath(models, spec.Id);
        if (File.Exists(saved))
        {
            Terminal.Line($"restoring the {role} model from models/{Path.GetFileName(saved)}...");
            return runner.Restore(spec, saved, cancellationToken);
        }

        Terminal.Line($"training the {role} model ({spec.Model} on {spec.Dataset}, {spec.Training.Epochs} epoch(s))...");
        return runner.Train(spec, cancellationToken: cancellationToken);
    }

    private static int WriteFigures(string folder, TrainedExperiment poisoned, TrainedExperiment clean, int? index, AttentionFigureOptions options)
    {
        ITrigger trigger = poisoned.Trigger!;
        int target = poisoned.Spec.TargetClass;
        long[] labels = poisoned.Test.LabelArray();
        int sample = index ?? Array.FindIndex(labels, l => l != target);
        if (sample < 0 || sample >= labels.Length)
        {
            throw new UsageException(index is null
                ? $"every test image of {poisoned.Spec.Dataset} is of the target class {target}; give --index"
                : $"option --index {index} is out of range: the test set has {labels.Length} images (0 to {labels.Length - 1})");
        }

        using var scope = NewDisposeScope();
        Tensor triggered = TriggerPreview.Render(poisoned.Test, [sample], trigger, poisoned.Transform)[0];
        Tensor cleanImage = poisoned.Transform.Resize(poisoned.Test.Images.narrow(0, sample, 1))[0];
        string figures = Path.Combine(folder, "report", "figures");
        string gradCam = Path.Combine(figures, $"gradcam-{poisoned.Spec.Id}.png");
        string features = Path.Combine(figures, $"feature-maps-{poisoned.Spec.Id}.png");
        IReadOnlyList<string> classes = poisoned.Test.ClassNames;
        AttentionFigure.WriteGradCam(
            [("clean model", clean.Model), ("backdoored model", poisoned.Model)],
            cleanImage,
            triggered,
            poisoned.Transform,
            (int)labels[sample],
            target,
            gradCam,
            options,
            classes);
        AttentionFigure.WriteFeatureMaps(poisoned.Model, cleanImage, triggered, poisoned.Transform, features, options);
        ExplanationFigureLabels.Apply(gradCam);
        ExplanationFigureLabels.Apply(features);
        Terminal.Line($"test image {sample} (class {labels[sample]} {classes[(int)labels[sample]]}), target {target} {classes[target]}, trigger {trigger.Description}");
        Terminal.Line($"wrote {gradCam} (titled and labelled; + .json caption)");
        Terminal.Line($"wrote {features} (titled and labelled; + .json caption)");
        return 0;
    }

    private static string Describe(ExperimentSpec spec) => string.Create(
        CultureInfo.InvariantCulture,
        $"{spec.Dataset}/{spec.Model}, {spec.FreezeStrategy}, {spec.Protocol}, trigger {spec.Trigger?.Size} {spec.Trigger?.Position} {spec.Trigger?.Color}, rate {spec.PoisoningRate}, repetition {spec.Repetition}");
}
