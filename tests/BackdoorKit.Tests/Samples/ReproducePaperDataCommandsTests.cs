using System.Text.Json;
using BackdoorKit.Data;
using BackdoorKit.Tests.Data.Fixtures;
using BackdoorKit.Tests.Reliability;
using ReproducePaper;
using ReproducePaper.Commands;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace BackdoorKit.Tests.Samples;

[Trait("Category", "Integration")]
[Collection(BackdoorKit.Tests.Training.GlobalTorchStateCollection.Name)]
public sealed class ReproducePaperDataCommandsTests : IDisposable
{
    private readonly TempDirectory folder = new();
    private readonly string mnist;

    public ReproducePaperDataCommandsTests()
    {
        mnist = folder.Combine("mnist");
        DatasetFixtures.WriteSmallMnist(mnist);
    }

    public void Dispose() => folder.Dispose();

    [Fact]
    public void DataSummary_OfSmallMnist_HasCountsNativeSizeAndClassCountsAsJson()
    {
        using DatasetSplits splits = KnownDatasets.Mnist.Reader.Read(mnist);

        DatasetSummary summary = DatasetSummary.Of(KnownDatasets.Mnist, mnist, splits);
        using JsonDocument json = JsonDocument.Parse(JsonSerializer.Serialize(summary, BackdoorKitJson.Options));

        JsonElement root = json.RootElement;
        root.GetProperty("dataset").GetString().Should().Be("mnist");
        root.GetProperty("train").GetInt32().Should().Be(5);
        root.GetProperty("test").GetInt32().Should().Be(3);
        root.GetProperty("classes").GetInt32().Should().Be(10);
        root.GetProperty("channels").GetInt32().Should().Be(1);
        root.GetProperty("height").GetInt32().Should().Be(28);
        root.GetProperty("width").GetInt32().Should().Be(28);
        root.GetProperty("inputSize").GetInt32().Should().Be(64);
        root.TryGetProperty("testHeight", out _).Should().BeFalse("both splits are 28x28");
        // Train labels 5, 0, 4, 1, 9; test labels 7, 2, 1.
        root.GetProperty("trainPerClass").EnumerateArray().Select(e => e.GetInt32()).Should().Equal(1, 1, 0, 0, 1, 1, 0, 0, 0, 1);
        root.GetProperty("testPerClass").EnumerateArray().Select(e => e.GetInt32()).Should().Equal(0, 1, 1, 0, 0, 0, 0, 1, 0, 0);
    }

    [Fact]
    public void Data_SmallMnist_ExitsZero()
    {
        Program.Execute(["data", "--dataset", "mnist", "--path", mnist, "--json"], default).Should().Be(0);
    }

    [Fact]
    public void Preview_PaperText_WritesA64PixelPngWithTheTriggerOnTheModelInput()
    {
        string png = folder.Combine("out", "preview.png");

        int code = Program.Execute(Preview(png, "--position", "bottom-right", "--color", "#FF8000"), default);

        code.Should().Be(0);
        using Image<Rgb24> image = Image.Load<Rgb24>(png);
        image.Width.Should().Be(64);
        image.Height.Should().Be(64);
        // 0.08 * 64 = 5.12 -> a 5x5 patch at (59, 59), drawn after resizing: sharp edges.
        for (int y = 55; y < 64; y++)
        {
            for (int x = 55; x < 64; x++)
            {
                bool inside = x >= 59 && y >= 59;
                (image[x, y] == new Rgb24(255, 128, 0)).Should().Be(inside, $"pixel ({x}, {y}) is {(inside ? "inside" : "outside")} the patch");
            }
        }
    }

    [Fact]
    public void Preview_ASigTrigger_ChangesEveryColumnByItsSinusoid()
    {
        string patch = folder.Combine("out", "patch.png"), sig = folder.Combine("out", "sig.png");

        Program.Execute(Preview(patch, "--position", "bottom-right", "--color", "#FF8000", "--size", "0.01"), default).Should().Be(0);
        Program.Execute(Preview(sig, "--position", "bottom-right", "--color", "#FF8000", "--size", "0.1", "--family", "sig"), default).Should().Be(0);

        using Image<Rgb24> plain = Image.Load<Rgb24>(patch);
        using Image<Rgb24> signal = Image.Load<Rgb24>(sig);
        // Amplitude 25.5 (size 0.1 x 255), 6 periods over the 64 columns, added to the resized image and clamped.
        for (int x = 0; x < 64; x += 5)
        {
            double expected = Math.Clamp(plain[x, 10].G + (25.5 * Math.Sin(2 * Math.PI * x * 6 / 64)), 0, 255);
            ((double)signal[x, 10].G).Should().BeApproximately(expected, 1, $"column {x}");
        }
    }

    [Fact]
    public void Preview_APatchWithAPicture_DrawsThePictureInTheSquare_AndImageNeedsBlendOrPatch()
    {
        string picture = folder.Combine("red.png"), out1 = folder.Combine("out", "picture.png");
        using (TorchSharp.torch.Tensor red = TorchSharp.torch.tensor(new byte[] { 255, 255, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0 }, [3, 2, 2]))
        {
            BackdoorKit.Data.ImageFiles.SavePng(red, picture);
        }

        Program.Execute(Preview(out1, "--position", "bottom-right", "--color", "#FFFFFF", "--size", "0.1", "--image", picture), default).Should().Be(0);
        (int code, _, string error) = ConsoleCapture.Run(Preview(folder.Combine("x.png"), "--family", "sig", "--image", picture));

        using Image<Rgb24> drawn = Image.Load<Rgb24>(out1);
        drawn[63, 63].Should().Be(new Rgb24(255, 0, 0), "the picture, not the white color, fills the square");
        code.Should().Be(2);
        error.Should().Contain("option --image works with --family blend or patch");
    }

    [Fact]
    public void Preview_ABlend_NeedsNoPositionOrColor_AndAPatchNamesTheMissingOne()
    {
        string[] blend = ["preview", "--dataset", "mnist", "--path", mnist, "--index", "2", "--size", "0.2", "--protocol", "paper-text", "--family", "blend", "--out", folder.Combine("out", "blend.png")];
        string[] patch = [.. blend.Take(blend.Length - 4), "--color", "white", "--out", folder.Combine("x.png")];

        Program.Execute(blend, default).Should().Be(0);
        (int code, _, string error) = ConsoleCapture.Run(patch);

        File.Exists(folder.Combine("out", "blend.png")).Should().BeTrue();
        code.Should().Be(2);
        error.Should().StartWith("error: option --position is required for --family patch");
    }

    [Theory]
    [InlineData("--family", "rainbow")]
    [InlineData("--dataset", "imagenet")]
    [InlineData("--position", "left")]
    [InlineData("--position", "custom")]
    [InlineData("--color", "red")]
    [InlineData("--protocol", "paper")]
    [InlineData("--index", "5")]
    [InlineData("--index", "-1")]
    [InlineData("--size", "0")]
    [InlineData("--size", "1.01")]
    [InlineData("--path", "missing-folder")]
    public void Preview_BadOption_ThrowsUsageOrFormatErrorsThatExitTwo(string option, string value)
    {
        string png = folder.Combine("bad.png");
        string[] args = Preview(png);
        int at = Array.IndexOf(args, option);
        args[at + 1] = option == "--path" ? folder.Combine(value) : value;

        Program.Execute(args, default).Should().Be(2);
        File.Exists(png).Should().BeFalse();
    }

    [Fact]
    public void Preview_WithoutOut_IsAUsageError()
    {
        (int code, _, string error) = ConsoleCapture.Run(Preview(folder.Combine("x.png"))[..^2]);

        code.Should().Be(2);
        error.Should().StartWith("error: option --out is required");
    }

    [Fact]
    public void Preview_IndexOutOfRange_NamesTheSplitSize()
    {
        string[] args = Preview(folder.Combine("x.png"));
        args[Array.IndexOf(args, "--index") + 1] = "5";

        (int code, _, string error) = ConsoleCapture.Run(args);

        code.Should().Be(2);
        error.Should().MatchRegex(@"^error: option --index 5 is out of range.*5 images \(0 to 4\)\s*$");
    }

    [Fact]
    public void Preview_UnknownColor_NamesTheOptionWithoutAParameterSuffix()
    {
        string[] args = Preview(folder.Combine("x.png"));
        args[Array.IndexOf(args, "--color") + 1] = "red";

        (int code, _, string error) = ConsoleCapture.Run(args);

        code.Should().Be(2);
        error.Should().StartWith("error: option --color: color 'red' is not valid").And.NotContain("Parameter");
    }

    [Fact]
    public void Data_TruncatedImageFile_ExitsTwoAndTheErrorNamesTheFile()
    {
        string images = Path.Combine(mnist, "train-images-idx3-ubyte");
        File.WriteAllBytes(images, File.ReadAllBytes(images)[..100]);

        Action read = () => KnownDatasets.Mnist.Reader.Read(mnist);
        (int code, _, string error) = ConsoleCapture.Run("data", "--dataset", "mnist", "--path", mnist);

        read.Should().Throw<DatasetFormatException>().Which.FilePath.Should().EndWith("train-images-idx3-ubyte");
        code.Should().Be(2);
        error.Should().StartWith("error: ").And.Contain("train-images-idx3-ubyte");
    }

    private string[] Preview(string png, params string[] overrides)
    {
        var options = new Dictionary<string, string>
        {
            ["--dataset"] = "mnist",
            ["--path"] = mnist,
            ["--index"] = "2",
            ["--size"] = "0.08",
            ["--position"] = "top-left",
            ["--color"] = "white",
            ["--protocol"] = "paper-text",
        };
        for (int i = 0; i < overrides.Length; i += 2)
        {
            options[overrides[i]] = overrides[i + 1];
        }

        return ["preview", .. options.SelectMany(o => new[] { o.Key, o.Value }), "--out", png];
    }
}
