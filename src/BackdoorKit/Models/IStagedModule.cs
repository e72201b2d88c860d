using static TorchSharp.torch;

namespace BackdoorKit.Models;

/// <summary>
/// A module whose forward pass is a chain of stages that can run separately: the prefix up to a stage boundary, then
/// the suffix from there. <see cref="BackdoorModel"/> uses it to compute the output of a frozen, evaluation-mode prefix
/// once per image (<see cref="Features.FeatureCache"/>) and to train only the rest. Modules without it always run whole.
/// </summary>
/// <remarks>
/// Stage <c>i</c> consists of the modules <see cref="StageModules"/>[i] (names as <c>named_modules</c> gives them,
/// e.g. <c>layer1</c> or <c>features.3</c>); the last stage is the head. Running
/// <see cref="ForwardStages"/> over <c>[0, split)</c> and then over <c>[split, StageCount)</c> must give exactly what
/// the module's <c>forward</c> gives.
/// </remarks>
internal interface IStagedModule
{
    /// <summary>Gets the module names of each stage, in forward order, the head's stage last.</summary>
    IReadOnlyList<IReadOnlyList<string>> StageModules { get; }

    /// <summary>Runs the stages <c>[from, to)</c>.</summary>
    /// <param name="input">Images when <paramref name="from"/> is 0, else the output of stage <c>from - 1</c>.</param>
    /// <param name="from">The first stage to run.</param>
    /// <param name="to">One past the last stage to run.</param>
    /// <returns>The output of stage <c>to - 1</c>; the caller owns it.</returns>
    Tensor ForwardStages(Tensor input, int from, int to);
}
