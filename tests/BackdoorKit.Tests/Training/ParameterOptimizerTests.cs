using BackdoorKit.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BackdoorKit.Tests.Training;

[Collection(GlobalTorchStateCollection.Name)]
public sealed class ParameterOptimizerTests
{
    private const int Steps = 300;

    /// <summary>
    /// Initializes a new instance of the <see cref="ParameterOptimizerTests"/> class. LibTorch is configured first, as
    /// every BackdoorKit entry point does: the oneDNN setting chooses the convolution kernels, and so the rounding of the
    /// gradients both optimizers follow.
    /// </summary>
    public ParameterOptimizerTests() => BackdoorKit.Runtime.TorchRuntime.EnsureInitialized();

    [Theory]
    [InlineData(OptimizerKind.Sgd, 0.05, 0.9)]
    [InlineData(OptimizerKind.Sgd, 0.05, 0.0)]
    public void Step_OverHundredsOfSteps_FollowsTorchSharpsOptimizer(OptimizerKind kind, double learningRate, double momentum)
    {
        var options = TrainingOptions.Default with { Optimizer = kind, LearningRate = learningRate, Momentum = momentum };
        using var data = new Batches(seed: 3);
        using Sequential reference = TinyNet(seed: 5);
        using Sequential candidate = TinyNet(seed: 5);
        Parameter[] referenceParameters = [.. reference.parameters()];
        using optim.Optimizer torchSharp = kind == OptimizerKind.Sgd
            ? optim.SGD(referenceParameters, learningRate, momentum: momentum)
            : optim.Adam(referenceParameters, learningRate);
        using var inPlace = ParameterOptimizer.Create(options, [.. candidate.parameters()]);

        TrainSideBySide(data, Steps, (reference, torchSharp), (candidate, inPlace));

        // Same operations in the same order: on the CPU the bits agree, which a tolerance would not prove.
        MaxDifference(reference, candidate).Should().Be(0f);
        MaxDifference(reference, TinyNet(seed: 5)).Should().BeGreaterThan(1e-3f, "the parameters moved");
    }

    [Theory]
    [InlineData(0.001)]
    [InlineData(0.01)]
    public void Adam_Fused_FollowsTorchSharpsAdamToRoundingOverHundredsOfSteps(double learningRate)
    {
        using var data = new Batches(seed: 3);
        using Sequential reference = TinyNet(seed: 5);
        using Sequential candidate = TinyNet(seed: 5);
        using optim.Optimizer torchSharp = optim.Adam(reference.parameters(), learningRate);
        using var fused = ParameterOptimizer.Create(TrainingOptions.Default with { LearningRate = learningRate }, [.. candidate.parameters()]);

        TrainSideBySide(data, Steps, (reference, torchSharp), (candidate, fused));

        // The same formula in float32, one pass instead of eight operations: rounding differs in the last bits and
        // accumulates over 300 steps, far below the distance the parameters travel.
        MaxDifference(reference, candidate).Should().BeLessThan(1e-5f);
        MaxDifference(reference, TinyNet(seed: 5)).Should().BeGreaterThan(1e-3f, "the parameters moved");
    }

    [Theory]
    [InlineData(0.001, long.MaxValue)]
    [InlineData(0.01, long.MaxValue)]
    [InlineData(0.01, 100)]
    [InlineData(0.01, 4096)]
    public void Adam_AsTensorOperations_WholeOrInChunks_GivesTheSameBitsAsTorchSharpsAdam(double learningRate, long chunk)
    {
        using var data = new Batches(seed: 3);
        using Sequential reference = TinyNet(seed: 5);
        using Sequential candidate = TinyNet(seed: 5);
        using optim.Optimizer torchSharp = optim.Adam(reference.parameters(), learningRate);
        using var inPlace = new InPlaceAdam([.. candidate.parameters()], learningRate, chunk, fused: false);
        TrainSideBySide(data, Steps, (reference, torchSharp), (candidate, inPlace));

        // Same operations in the same order (the path CUDA takes): on the CPU the bits agree, which a tolerance would not prove.
        MaxDifference(reference, candidate).Should().Be(0f);
    }

    [Fact]
    public void Adam_Fused_GivesTheSameBitsWhateverTheThreadCount()
    {
        // 70,000 elements: above the kernel's parallel threshold, and not a multiple of the vector width.
        using var scope = NewDisposeScope();
        Tensor start = randn(70_000, generator: new Generator(7));
        Tensor gradient = randn(70_000, generator: new Generator(8));
        int threads = get_num_threads();
        try
        {
            Tensor[] results = [.. new[] { 1, 2, 3 }.Select(n =>
            {
                set_num_threads(n);
                using var parameter = new Parameter(start.clone());
                using var adam = new InPlaceAdam([parameter], 0.01);
                for (int i = 0; i < 3; i++)
                {
                    adam.ZeroGrad();
                    using (Tensor loss = parameter.mul(gradient).sum())
                    {
                        loss.backward();
                    }

                    adam.Step();
                }

                return parameter.detach().clone();
            })];

            results[1].allclose(results[0], rtol: 0, atol: 0).Should().BeTrue();
            results[2].allclose(results[0], rtol: 0, atol: 0).Should().BeTrue();
            results[0].allclose(start).Should().BeFalse("the steps moved the parameter");
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    [Fact]
    public void Step_ParameterWithoutGradient_IsLeftAlone()
    {
        using Sequential net = TinyNet(seed: 5);
        Parameter[] parameters = [.. net.parameters()];
        using var inPlace = ParameterOptimizer.Create(TrainingOptions.Default, parameters);
        using Tensor before = parameters[0].detach().clone();
        inPlace.ZeroGrad();
        inPlace.Step();
        using Tensor equal = parameters[0].eq(before).all();
        equal.item<bool>().Should().BeTrue();
    }

    [Fact]
    public void ZeroGrad_SetsEveryGradientToNone_SoTheNextBackwardWritesIt()
    {
        using var data = new Batches(seed: 3);
        using Sequential net = TinyNet(seed: 5);
        Parameter[] parameters = [.. net.parameters()];
        using var inPlace = ParameterOptimizer.Create(TrainingOptions.Default, parameters);
        (Tensor inputs, Tensor labels) = data.Get(0);
        using (Tensor loss = nn.functional.cross_entropy(net.call(inputs), labels))
        {
            loss.backward();
        }

        using Tensor first = parameters[0].grad!.clone();
        inPlace.ZeroGrad();
        bool cleared = parameters.All(p => p.grad is null);
        using (Tensor loss = nn.functional.cross_entropy(net.call(inputs), labels))
        {
            loss.backward();
        }

        cleared.Should().BeTrue();
        parameters[0].grad!.allclose(first, rtol: 0, atol: 0).Should().BeTrue("the same batch gives the same gradient, not twice it");
    }

    [Fact]
    public void Step_AllocatesNoTensorThatOutlivesIt()
    {
        using var data = new Batches(seed: 3);
        using Sequential net = TinyNet(seed: 5);
        using var inPlace = ParameterOptimizer.Create(TrainingOptions.Default, [.. net.parameters()]);
        (Tensor inputs, Tensor labels) = data.Get(0);
        using (Tensor loss = nn.functional.cross_entropy(net.call(inputs), labels))
        {
            loss.backward();
        }

        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        inPlace.Step();
        inPlace.ZeroGrad();
        DisposeScopeManager.Statistics.ThreadTotalLiveCount.Should().Be(before);
    }

    [Fact]
    public void Training_WithTheInPlaceAdam_ReachesTheSameHeldOutAccuracyAsTorchSharpsAdam()
    {
        using var data = new Batches(seed: 11);
        using Sequential reference = TinyNet(seed: 2);
        using Sequential candidate = TinyNet(seed: 2);
        using optim.Optimizer torchSharp = optim.Adam(reference.parameters(), 0.01);
        using var inPlace = ParameterOptimizer.Create(TrainingOptions.Default with { LearningRate = 0.01 }, [.. candidate.parameters()]);
        TrainSideBySide(data, 100, (reference, torchSharp), (candidate, inPlace));

        double referenceAccuracy = data.HeldOutAccuracy(reference);
        double candidateAccuracy = data.HeldOutAccuracy(candidate);
        referenceAccuracy.Should().BeGreaterThan(0.8, "the task is learnable");
        candidateAccuracy.Should().BeApproximately(referenceAccuracy, 0.02);
    }

    [Fact]
    public void Create_WithoutParameters_Throws()
    {
        Action act = () => ParameterOptimizer.Create(TrainingOptions.Default, []);
        act.Should().Throw<ArgumentException>().WithMessage("*at least one parameter*");
    }

    /// <summary>Trains both nets on the same batches, one with TorchSharp's optimizer and one with the in-place one.</summary>
    private static void TrainSideBySide(
        Batches data, int steps, (Sequential Net, optim.Optimizer Optimizer) reference, (Sequential Net, ParameterOptimizer Optimizer) candidate)
    {
        for (int step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            (Tensor inputs, Tensor labels) = data.Get(step);
            reference.Optimizer.zero_grad();
            nn.functional.cross_entropy(reference.Net.call(inputs), labels).backward();
            reference.Optimizer.step();
            candidate.Optimizer.ZeroGrad();
            nn.functional.cross_entropy(candidate.Net.call(inputs), labels).backward();
            candidate.Optimizer.Step();
        }
    }

    private static Sequential TinyNet(int seed)
    {
        manual_seed(seed);
        return nn.Sequential(
            ("conv", nn.Conv2d(1, 4, 3, padding: 1)),
            ("relu", nn.ReLU()),
            ("flatten", nn.Flatten()),
            ("fc", nn.Linear(4 * 8 * 8, 3)));
    }

    private static float MaxDifference(nn.Module a, nn.Module b)
    {
        using var scope = NewDisposeScope();
        return a.parameters().Zip(b.parameters())
            .Select(pair => (pair.First - pair.Second).abs().max().item<float>())
            .Max();
    }

    /// <summary>Fixed random batches of 8 x 8 images whose class is the brightest third of the image.</summary>
    private sealed class Batches : IDisposable
    {
        private readonly Tensor inputs;
        private readonly Tensor labels;
        private readonly Tensor heldOutInputs;
        private readonly Tensor heldOutLabels;

        public Batches(int seed)
        {
            using var generator = new Generator((ulong)seed);
            (inputs, labels) = Make(256, generator);
            (heldOutInputs, heldOutLabels) = Make(128, generator);
        }

        public (Tensor Inputs, Tensor Labels) Get(int step)
        {
            long start = step * 16 % 256;
            return (inputs.narrow(0, start, 16), labels.narrow(0, start, 16));
        }

        public double HeldOutAccuracy(nn.Module<Tensor, Tensor> net)
        {
            using var noGrad = no_grad();
            using Tensor correct = net.call(heldOutInputs).argmax(1).eq(heldOutLabels).to_type(ScalarType.Float32).mean();
            return correct.item<float>();
        }

        public void Dispose()
        {
            inputs.Dispose();
            labels.Dispose();
            heldOutInputs.Dispose();
            heldOutLabels.Dispose();
        }

        private static (Tensor Inputs, Tensor Labels) Make(int count, Generator generator)
        {
            using var scope = NewDisposeScope();
            Tensor labels = randint(0, 3, [count], dtype: ScalarType.Int64, generator: generator);
            Tensor images = rand([count, 1, 8, 8], generator: generator) * 0.5;
            Tensor rows = arange(8).view(1, 1, 8, 1);
            Tensor band = (rows / 3).eq(labels.view(-1, 1, 1, 1)).to_type(ScalarType.Float32);
            return ((images + band).MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope());
        }
    }
}
