using BackdoorKit.Training;

namespace BackdoorKit.Tests.Training;

public sealed class ComputeOptionsTests
{
    [Theory]
    [InlineData("cuda", false, 0, false, "CUDA is not available: this process loaded a CPU-only LibTorch")]
    [InlineData("cuda:0", false, 0, true, "CUDA is not available: a CUDA build of LibTorch is loaded, but it finds no NVIDIA driver or device")]
    [InlineData("cuda:2", true, 2, true, "LibTorch sees 2 CUDA device(s) (cuda:0..cuda:1)")]
    public void CheckCuda_ExplainsWhatWasFound(string device, bool available, int count, bool cudaLibrary, string found)
    {
        Action act = () => ComputeOptions.CheckCuda(device, available, count, cudaLibrary);

        act.Should().Throw<ComputeDeviceException>().Which.Message.Should()
            .StartWith($"device '{device}' was asked for").And.Contain(found).And.NotContain("\n");
    }

    [Theory]
    [InlineData("cuda", 1)]
    [InlineData("cuda:1", 2)]
    public void CheckCuda_AcceptsAnExistingDevice(string device, int count)
    {
        Action act = () => ComputeOptions.CheckCuda(device, true, count, true);

        act.Should().NotThrow();
    }

    [Fact]
    public void CheckCuda_WithoutCuda_NamesThePackageToReference()
    {
        Action act = () => ComputeOptions.CheckCuda("cuda", false, 0, false);

        act.Should().Throw<ComputeDeviceException>().WithMessage("*TorchSharp-cuda-linux*-p:TorchBackend=cuda*--device cpu*");
    }

    [Fact]
    public void ResolveDevice_OnThisCpuOnlyBuild_RefusesCudaAndResolvesAutomaticToCpu()
    {
        Action cuda = () => new ComputeOptions { Device = "cuda" }.ResolveDevice();

        cuda.Should().Throw<ComputeDeviceException>().WithMessage("*CPU-only LibTorch*");
        new ComputeOptions().ResolveDevice().type.Should().Be(TorchSharp.DeviceType.CPU);
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("gpu")]
    [InlineData("cuda:x")]
    public void Device_UnknownName_FailsNamingTheAllowedForms(string device)
    {
        Action act = () => _ = new ComputeOptions { Device = device };

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*cpu, cuda or cuda:N*");
    }

    [Theory]
    [InlineData("cpu", 1_000L, 4L << 30, false)]
    [InlineData("cuda:0", 1_000L, 4L << 30, true)]
    [InlineData("cuda:0", (4L << 30) + 1, 4L << 30, false)]
    [InlineData("cuda:1", 1_000L, 0L, false)]
    public void KeepsDatasetOnDevice_OnlyOnAGpu_AndOnlyWhenTheDatasetFits(string device, long bytes, long max, bool expected)
    {
        var options = new ComputeOptions { DatasetOnDeviceMaxBytes = max };

        options.KeepsDatasetOnDevice(new TorchSharp.torch.Device(device), bytes).Should().Be(expected);
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData((1L << 40) + 1)]
    public void DatasetOnDeviceMaxBytes_OutOfRange_FailsNamingTheOptionAndRange(long max)
    {
        Action act = () => _ = new ComputeOptions { DatasetOnDeviceMaxBytes = max };

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*DatasetOnDeviceMaxBytes must be in [0, 1099511627776]*");
    }
}
