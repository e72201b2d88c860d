using BackdoorKit.Models.Freezing;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BackdoorKit.Models;

/// <summary>
/// A classifier built by an <see cref="IModelFactory"/>: owns its TorchSharp module, records where its weights came
/// from and which freeze strategy decides what trains. Dispose it to free the module's native memory.
/// </summary>
public sealed class BackdoorModel : IDisposable
{
    private bool disposed;
    private IReadOnlySet<string> evalModeModules = new HashSet<string>();

    /// <summary>
    /// Initializes a new instance of the <see cref="BackdoorModel"/> class, taking ownership of the module: what an
    /// <see cref="IModelFactory"/>, the shipped ones or your own, returns from <see cref="IModelFactory.Create"/>. Every
    /// parameter trains until a freeze strategy is applied (<see cref="ApplyFreezeStrategy"/>).
    /// </summary>
    /// <param name="architecture">The architecture the module was built as.</param>
    /// <param name="module">The module: images <c>[N, 3, H, W]</c> in, logits <c>[N, numClasses]</c> out.</param>
    /// <param name="numClasses">The head's output size, at least 1.</param>
    /// <param name="weightsSource">Where the weights came from (<c>random</c>, or a file and its hash), recorded with results.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numClasses"/> is less than 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="weightsSource"/> is empty.</exception>
    public BackdoorModel(IModelFactory architecture, nn.Module<Tensor, Tensor> module, int numClasses, string weightsSource)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(module);
        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, 1);
        ArgumentException.ThrowIfNullOrWhiteSpace(weightsSource);
        Architecture = architecture;
        Module = module;
        NumClasses = numClasses;
        WeightsSource = weightsSource;
    }

    /// <summary>Gets the architecture this model was built as.</summary>
    public IModelFactory Architecture { get; }

    /// <summary>Gets the architecture's name (e.g. <c>resnet152</c>).</summary>
    public string Name => Architecture.Name;

    /// <summary>Gets the number of classes (the head's output size).</summary>
    public int NumClasses { get; }

    /// <summary>Gets the smallest input height and width, in pixels, <see cref="Forward"/> accepts.</summary>
    public int MinimumInputSize => Architecture.MinimumInputSize;

    /// <summary>
    /// Gets where the weights came from: <c>random</c>, or <c>file:&lt;file name&gt;#sha256:&lt;first 12 hex digits&gt;</c>.
    /// Record it with every result.
    /// </summary>
    public string WeightsSource { get; }

    /// <summary>Gets the freeze strategy last applied (<see cref="ApplyFreezeStrategy"/>).</summary>
    public IFreezeStrategy FreezeStrategy { get; private set; } = KnownFreezeStrategies.Full;

    /// <summary>Gets the TorchSharp module; for hooks, saving and moving between devices.</summary>
    public nn.Module<Tensor, Tensor> Module { get; }

    /// <summary>Gets the names of the parameters that train (require gradients), in parameter order.</summary>
    public IReadOnlyList<string> TrainableParameterNames =>
        [.. Module.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name)];

    /// <summary>Gets the number of scalar weights that train.</summary>
    public long TrainableParameterCount => Module.parameters().Where(p => p.requires_grad).Sum(p => p.numel());

    /// <summary>Gets the number of scalar weights in all parameters (buffers such as running statistics excluded).</summary>
    public long TotalParameterCount => Module.parameters().Sum(p => p.numel());

    /// <summary>Lists the parameters that train, to hand to an optimizer (frozen ones would only cost it memory).</summary>
    /// <returns>The trainable parameters, in parameter order; they belong to the model.</returns>
    public IReadOnlyList<Parameter> GetTrainableParameters() => [.. Module.parameters().Where(p => p.requires_grad)];

    /// <summary>Lets exactly the parameters the strategy selects train, freezes all others, and records the strategy.</summary>
    /// <param name="strategy">The freeze strategy.</param>
    /// <exception cref="InvalidOperationException">The strategy selected a name that is not a parameter of this model.</exception>
    public void ApplyFreezeStrategy(IFreezeStrategy strategy)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        ObjectDisposedException.ThrowIf(disposed, this);
        IReadOnlySet<string> trainable = strategy.SelectTrainable(this);
        var parameters = Module.named_parameters().ToList();
        string[] unknown = [.. trainable.Except(parameters.Select(p => p.name))];
        if (unknown.Length > 0)
        {
            throw new InvalidOperationException(
                $"freeze strategy '{strategy.Name}' selected {unknown.Length} name(s) that {Name} does not have: {string.Join(", ", unknown.Take(5))}.");
        }

        foreach ((string name, Parameter parameter) in parameters)
        {
            parameter.requires_grad = trainable.Contains(name);
        }

        FreezeStrategy = strategy;
        evalModeModules = strategy.SelectEvalModeModules(this);
    }

    /// <summary>
    /// Replaces the weights of the first convolution (in module order) with a fresh random initialisation (LibTorch's
    /// default for a new convolution, drawn from the global generator) and lets them train, whatever the freeze strategy
    /// chose: what the authors' published code does to ResNet, VGG and GoogLeNet on MNIST
    /// (<see cref="Protocols.StudyProtocol.FreshFirstConvolutionOnGrayDatasets"/>). Call it after the freeze strategy.
    /// </summary>
    /// <returns>The names of the convolution's parameters, now trainable.</returns>
    /// <exception cref="InvalidOperationException">The model has no convolution.</exception>
    public IReadOnlyList<string> ResetFirstConvolution()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        (string name, nn.Module module) = Module.named_modules().FirstOrDefault(m => m.module is Conv2d);
        if (module is not Conv2d convolution)
        {
            throw new InvalidOperationException($"{Name} has no convolution to reset.");
        }

        using (no_grad())
        {
            convolution.reset_parameters();
        }

        List<string> names = [.. convolution.named_parameters().Select(p => $"{name}.{p.name}")];
        foreach (Parameter parameter in convolution.parameters())
        {
            parameter.requires_grad = true;
        }

        return names;
    }

    /// <summary>
    /// Switches between training and evaluation mode. In training mode, BatchNorm layers stay in evaluation mode
    /// (running statistics frozen) when the freeze strategy asks for it (<see cref="IFreezeStrategy.KeepsBatchNormInEvalMode"/>),
    /// and so do the modules the strategy keeps in evaluation mode (<see cref="IFreezeStrategy.SelectEvalModeModules"/>).
    /// </summary>
    /// <param name="training"><see langword="true"/> to train, <see langword="false"/> to evaluate.</param>
    public void SetTrainingMode(bool training)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        Module.train(training);
        if (training && FreezeStrategy.KeepsBatchNormInEvalMode)
        {
            foreach (BatchNorm batchNorm in Module.modules().OfType<BatchNorm>())
            {
                batchNorm.eval();
            }
        }

        if (training && evalModeModules.Count > 0)
        {
            foreach (nn.Module child in Module.named_children().Where(c => evalModeModules.Contains(c.name)).Select(c => c.module))
            {
                child.eval();
            }
        }
    }

    /// <summary>
    /// Counts the leading stages of the model that form a frozen, evaluation-mode prefix: every parameter frozen and every
    /// BatchNorm and dropout module in evaluation mode while the model trains, so the prefix's output for an image does not
    /// depend on the experiment. Zero for modules without a staged forward pass (<see cref="IStagedModule"/>); never the
    /// head. Leaves the model in evaluation mode.
    /// </summary>
    /// <returns>The number of stages that can be computed once and cached.</returns>
    internal int CountFrozenPrefixStages()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (Module is not IStagedModule staged)
        {
            return 0;
        }

        var children = Module.named_modules().Where(m => m.name.Length > 0).ToDictionary(m => m.name, m => m.module, StringComparer.Ordinal);
        SetTrainingMode(true);
        try
        {
            int count = 0;
            while (count < staged.StageModules.Count - 1 && staged.StageModules[count].All(name => IsFrozenAndEvaluating(children[name])))
            {
                count++;
            }

            return count;
        }
        finally
        {
            SetTrainingMode(false);
        }

        static bool IsFrozenAndEvaluating(nn.Module module) =>
            module.parameters().All(p => !p.requires_grad)
            && module.modules().Prepend(module)
                .Where(m => m is BatchNorm || m.GetType().Name.Contains("Dropout", StringComparison.Ordinal))
                .All(m => !m.training);
    }

    /// <summary>Runs the first <paramref name="stages"/> stages of a staged model on images.</summary>
    /// <param name="input">Images as <see cref="Forward"/> takes them.</param>
    /// <param name="stages">How many leading stages to run.</param>
    /// <returns>The prefix's output; the caller owns it.</returns>
    /// <exception cref="InvalidOperationException">The module has no staged forward pass.</exception>
    internal Tensor ForwardPrefix(Tensor input, int stages)
    {
        ArgumentNullException.ThrowIfNull(input);
        ObjectDisposedException.ThrowIf(disposed, this);
        return Staged.ForwardStages(input, 0, stages);
    }

    /// <summary>Runs the stages after the first <paramref name="stages"/> on their cached output and returns the logits.</summary>
    /// <param name="features">The output of <see cref="ForwardPrefix"/> with the same <paramref name="stages"/>.</param>
    /// <param name="stages">How many leading stages produced <paramref name="features"/>.</param>
    /// <returns>Logits <c>[batch, NumClasses]</c>; the caller owns them.</returns>
    /// <exception cref="InvalidOperationException">The module has no staged forward pass.</exception>
    internal Tensor ForwardSuffix(Tensor features, int stages)
    {
        ArgumentNullException.ThrowIfNull(features);
        ObjectDisposedException.ThrowIf(disposed, this);
        return Staged.ForwardStages(features, stages, Staged.StageModules.Count);
    }

    /// <summary>Runs the model on a batch and returns the logits (GoogLeNet: the main head's logits only).</summary>
    /// <param name="input">Images as a float tensor <c>[batch, 3, height, width]</c>, normalised as the weights expect.</param>
    /// <returns>Logits <c>[batch, NumClasses]</c>; the caller owns the tensor.</returns>
    /// <exception cref="ArgumentException">The input is not a batch of 3-channel images of at least <see cref="MinimumInputSize"/> px.</exception>
    public Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ObjectDisposedException.ThrowIf(disposed, this);
        if (input.dim() != 4 || input.shape[1] != 3 || input.shape[2] < MinimumInputSize || input.shape[3] < MinimumInputSize)
        {
            throw new ArgumentException(
                $"{Name} expects [batch, 3, height, width] with height and width >= {MinimumInputSize}; got [{string.Join(", ", input.shape)}].",
                nameof(input));
        }

        // Channels-last on the CPU with oneDNN, whose convolutions are faster in that layout (ConvolutionLayout).
        return Module.call(ConvolutionLayout.Prefer(input));
    }

    private IStagedModule Staged => Module as IStagedModule
        ?? throw new InvalidOperationException($"{Name} has no staged forward pass; run it whole with Forward.");

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({NumClasses} classes, weights {WeightsSource}, freeze {FreezeStrategy.Name})";

    /// <summary>
    /// Gets the names of the tensors training changes, in module order: the parameters that train, and the buffers (such
    /// as BatchNorm running statistics) of the modules that run in training mode under the freeze strategy. Everything
    /// else is what <see cref="IModelFactory.Create"/> builds from the weights source (<see cref="WeightsSource"/>) and
    /// the seed, so these tensors and those two restore the trained model.
    /// </summary>
    public IReadOnlyList<string> TrainedStateNames
    {
        get
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            bool wasTraining = Module.training;
            SetTrainingMode(true);
            try
            {
                string[] buffers = [.. Module.named_modules()
                    .Where(m => m.module.training)
                    .SelectMany(m => m.module.named_buffers(recurse: false).Select(b => m.name.Length == 0 ? b.name : $"{m.name}.{b.name}"))];
                return [.. Module.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name), .. buffers];
            }
            finally
            {
                SetTrainingMode(wasTraining);
            }
        }
    }

    /// <summary>
    /// Saves the tensors training changed (<see cref="TrainedStateNames"/>) as a safetensors file with string metadata; the
    /// frozen part is not copied. The file is written beside its final name and moved into place.
    /// </summary>
    /// <param name="path">The file, conventionally <c>*.safetensors</c>.</param>
    /// <param name="metadata">Strings stored in the header (e.g. the experiment id and <see cref="WeightsSource"/>).</param>
    public void SaveTrainedState(string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Dictionary<string, Tensor> state = State();
        SafetensorsHeader.Write(path, [.. TrainedStateNames.Select(name => (name, state[name]))], metadata ?? new Dictionary<string, string>());
    }

    /// <summary>
    /// Copies the tensors of a file written by <see cref="SaveTrainedState"/> into this model, which must be built as the
    /// saved one was (architecture, weights source, seed, freeze strategy): the file must hold exactly this model's
    /// <see cref="TrainedStateNames"/> with their shapes and types.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <returns>The file's metadata.</returns>
    /// <exception cref="ModelWeightsException">The file is missing or corrupt, or its tensors do not fit this model; the message names the file and the tensors.</exception>
    public IReadOnlyDictionary<string, string> LoadTrainedState(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ObjectDisposedException.ThrowIf(disposed, this);
        if (!File.Exists(path))
        {
            throw new ModelWeightsException($"saved model '{path}' does not exist.", path);
        }

        IReadOnlyDictionary<string, string> metadata = SafetensorsHeader.Check(path);
        Dictionary<string, Tensor> saved = TorchSharp.PyBridge.Safetensors.LoadStateDict(path, null);
        try
        {
            Dictionary<string, Tensor> state = State();
            IReadOnlyList<string> expected = TrainedStateNames;
            string[] missing = [.. expected.Where(n => !saved.ContainsKey(n))];
            string[] unexpected = [.. saved.Keys.Where(n => !expected.Contains(n))];
            string[] mismatched = [.. expected.Where(n => saved.TryGetValue(n, out Tensor? t)
                && (!t.shape.SequenceEqual(state[n].shape) || t.dtype != state[n].dtype))];
            if (missing.Length + unexpected.Length + mismatched.Length > 0)
            {
                throw new ModelWeightsException(
                    $"saved model '{path}' does not fit {Name} with freeze strategy '{FreezeStrategy.Name}': " +
                    $"{missing.Length} tensors missing, {unexpected.Length} unexpected, {mismatched.Length} of another shape or type " +
                    $"(e.g. {string.Join(", ", missing.Concat(unexpected).Concat(mismatched).Take(3))}).",
                    path,
                    missing,
                    mismatched,
                    unexpected);
            }

            using (no_grad())
            {
                foreach (string name in expected)
                {
                    state[name].copy_(saved[name]);
                }
            }

            return metadata;
        }
        finally
        {
            foreach (Tensor tensor in saved.Values)
            {
                tensor.Dispose();
            }
        }
    }

    /// <summary>Gets every parameter and buffer of the module by name (the tensors themselves, not copies).</summary>
    internal Dictionary<string, Tensor> State() =>
        Module.named_parameters().Select(p => (p.name, (Tensor)p.parameter))
            .Concat(Module.named_buffers().Select(b => (b.name, b.buffer)))
            .ToDictionary(t => t.Item1, t => t.Item2, StringComparer.Ordinal);

    /// <summary>Frees the module's parameters and buffers.</summary>
    public void Dispose()
    {
        if (!disposed)
        {
            disposed = true;
            Module.Dispose();
        }
    }
}
