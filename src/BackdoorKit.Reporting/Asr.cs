using BackdoorKit.Experiments;
using BackdoorKit.Protocols;

namespace BackdoorKit.Reporting;

/// <summary>Reads a result's attack success rate under an <see cref="AsrDefinition"/>, and names the definitions.</summary>
public static class Asr
{
    /// <summary>Gets the command-line names of the definitions, in enum order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["excluding-target", "including-target"];

    /// <summary>Gets a result's ASR under a definition.</summary>
    /// <param name="result">The result.</param>
    /// <param name="definition">The definition.</param>
    /// <returns>The ASR, or null for a clean (untriggered) result.</returns>
    public static double? Of(ExperimentResult result, AsrDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(result);
        return definition == AsrDefinition.IncludingTarget ? result.AttackSuccessRateIncludingTarget : result.AttackSuccessRate;
    }

    /// <summary>
    /// Gets the definition a study is reported with by default: <see cref="AsrDefinition.IncludingTarget"/> when every
    /// result was run under the <c>seed-code</c> protocol (the published code's definition), else
    /// <see cref="AsrDefinition.ExcludingTarget"/>.
    /// </summary>
    /// <param name="results">The study's results.</param>
    /// <returns>The default definition.</returns>
    public static AsrDefinition DefaultFor(IEnumerable<ExperimentResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        bool any = false;
        foreach (ExperimentResult r in results)
        {
            if (r.Protocol.Name != KnownProtocols.SeedCode.Name)
            {
                return AsrDefinition.ExcludingTarget;
            }

            any = true;
        }

        return any ? AsrDefinition.IncludingTarget : AsrDefinition.ExcludingTarget;
    }

    /// <summary>Gets a definition's command-line name (<c>excluding-target</c> or <c>including-target</c>).</summary>
    /// <param name="definition">The definition.</param>
    /// <returns>The name.</returns>
    public static string Name(AsrDefinition definition) => Names[(int)Checked(definition)];

    /// <summary>Parses a command-line name (case-insensitive).</summary>
    /// <param name="name">The name: <c>excluding-target</c> or <c>including-target</c>.</param>
    /// <returns>The definition.</returns>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Names"/>.</exception>
    public static AsrDefinition Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        int index = Names.ToList().FindIndex(n => string.Equals(n, name.Trim(), StringComparison.OrdinalIgnoreCase));
        return index >= 0
            ? (AsrDefinition)index
            : throw new ArgumentException($"ASR definition '{name}' is not valid; allowed: {string.Join(", ", Names)}.", nameof(name));
    }

    /// <summary>Describes a definition in one sentence for a report page.</summary>
    /// <param name="definition">The definition.</param>
    /// <returns>The sentence.</returns>
    public static string Describe(AsrDefinition definition) => Checked(definition) == AsrDefinition.IncludingTarget
        ? "ASR counts every triggered test image, target-class images included, as the paper's published code does (`including-target`): a model that ignores the trigger still scores the target class's share, about 10 % on 10 balanced classes."
        : "ASR counts only triggered test images whose clean label is not the target class (`excluding-target`): a model that ignores the trigger scores about 0 %. The paper's published code counts target-class images too (`including-target`).";

    private static AsrDefinition Checked(AsrDefinition definition) => Enum.IsDefined(definition)
        ? definition
        : throw new ArgumentOutOfRangeException(nameof(definition), definition, $"definition must be one of {string.Join(", ", Enum.GetNames<AsrDefinition>())}; got {(int)definition}.");
}
