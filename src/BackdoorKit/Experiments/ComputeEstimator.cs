using BackdoorKit.Models;

namespace BackdoorKit.Experiments;

/// <summary>
/// Counts the compute of experiments from each model's forward cost (<see cref="IModelFactory.ForwardGigaMacsAt224"/>,
/// scaled with the input area), the sample counts and the epochs: a machine-independent size of a study, e.g. to
/// request cluster time. Training counts three forward costs per sample (forward and backward), evaluation one per
/// clean and one per triggered test sample; frozen layers are counted as trained. For the time on a given machine use
/// <see cref="Estimation.StepCalibrator"/>.
/// </summary>
public static class ComputeEstimator
{
    /// <summary>Estimates one experiment's floating-point operations.</summary>
    /// <param name="spec">The experiment.</param>
    /// <param name="catalog">Where the spec's model and dataset resolve.</param>
    /// <returns>The estimate in FLOP (2 per multiply-accumulate).</returns>
    /// <exception cref="ArgumentException">The model declares no forward cost, or the dataset no nominal shape.</exception>
    public static double Flop(ExperimentSpec spec, ComponentCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(catalog);
        IModelFactory model = catalog.Models.Get(spec.Model);
        double macs = model.ForwardGigaMacsAt224
            ?? throw new ArgumentException(
                $"model '{spec.Model}' declares no forward cost (IModelFactory.ForwardGigaMacsAt224); known for: {string.Join(", ", catalog.Models.Where(m => m.ForwardGigaMacsAt224 is not null).Select(m => m.Name))}.",
                nameof(spec));
        (int train, int test) = NominalDatasets.Samples(spec, catalog);
        int size = ExperimentSetup.InputSize(spec, catalog);
        double forward = 2e9 * macs * (size / 224.0) * (size / 224.0);
        int evaluated = spec.Trigger is null ? test : 2 * test;
        return forward * ((3.0 * train * spec.Training.Epochs) + evaluated);
    }
}
