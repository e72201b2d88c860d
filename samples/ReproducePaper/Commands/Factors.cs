using System.Globalization;
using BackdoorKit.Experiments;

namespace ReproducePaper.Commands;

/// <summary>Groups experiments by each factor's values, for the plan and status tables.</summary>
internal static class Factors
{
    public static IEnumerable<(string Factor, string Value, IEnumerable<ExperimentSpec> Specs)> Of(IReadOnlyList<ExperimentSpec> specs)
    {
        (string Name, Func<ExperimentSpec, string> Key)[] factors =
        [
            ("dataset", s => s.Dataset),
            ("model", s => s.Model),
            ("freezeStrategy", s => s.FreezeStrategy),
            ("triggerSize", s => s.Trigger?.Size.ToString(CultureInfo.InvariantCulture) ?? "none"),
            ("position", s => s.Trigger?.Position ?? "none"),
            ("color", s => s.Trigger?.Color ?? "none"),
            ("triggerFamily", s => s.Trigger is { } t ? t.Family ?? KnownTriggerFactories.Patch.Name : "none"),
            ("poisoner", s => s.IsClean ? "none" : s.Poisoner ?? BackdoorKit.Poisoning.KnownPoisoners.DirtyLabel.Name),
            ("labelMode", s => s.IsClean ? "none" : BackdoorKit.Poisoning.LabelModes.ToName(s.LabelMode)),
            ("poisoningRate", s => s.PoisoningRate.ToString(CultureInfo.InvariantCulture)),
            ("repetition", s => s.Repetition.ToString(CultureInfo.InvariantCulture)),
        ];
        foreach ((string name, Func<ExperimentSpec, string> key) in factors)
        {
            foreach (IGrouping<string, ExperimentSpec> group in specs.GroupBy(key).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                yield return (name, group.Key, group);
            }
        }
    }
}
