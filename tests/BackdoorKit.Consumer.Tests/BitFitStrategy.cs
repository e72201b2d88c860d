using BackdoorKit.Models;
using BackdoorKit.Models.Freezing;

namespace BackdoorKit.Consumer.Tests;

/// <summary>BitFit (Ben Zaken et al., 2022): every bias and the head train, every other weight is frozen.</summary>
public sealed class BitFitStrategy : IFreezeStrategy
{
    /// <inheritdoc />
    public string Name => "bitfit";

    /// <inheritdoc />
    public bool KeepsBatchNormInEvalMode => false;

    /// <inheritdoc />
    public IReadOnlySet<string> SelectTrainable(BackdoorModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Module.named_parameters().Select(p => p.name)
            .Where(name => name.EndsWith(".bias", StringComparison.Ordinal))
            .Concat(model.Architecture.HeadParameterNames)
            .ToHashSet(StringComparer.Ordinal);
    }
}
