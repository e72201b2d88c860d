using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using BackdoorKit.Models;
using BackdoorKit.Tests.Data.Fixtures;
using TorchSharp;

namespace BackdoorKit.Tests.Models;

/// <summary>
/// Damaged, hostile or lying weights files fail at load time with one <see cref="ModelWeightsException"/> line naming
/// the file, before any training: non-finite values, truncation, random bytes, inconsistent safetensors headers,
/// pickles that would run code, and paths that are not regular files.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class CheckpointIntegrityTests : IDisposable
{
    private const int LegacyPickle = 0x80;
    private readonly string directory = Directory.CreateTempSubdirectory("backdoorkit-weights-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    public static TheoryData<bool, float> NonFiniteValues() => new()
    {
        { false, float.NaN },
        { false, float.PositiveInfinity },
        { true, float.NaN },
        { true, float.NegativeInfinity },
    };

    [Theory]
    [MemberData(nameof(NonFiniteValues))]
    public void Load_TensorHoldingANonFiniteValue_IsRefusedNamingFileAndTensor(bool safetensors, float value)
    {
        string path = SmallCnnCheckpoints.WriteModified(directory, state => state["layer2.conv.weight"][1, 2, 0, 1] = value, safetensors);

        Refusals.Expect<ModelWeightsException>(
            () => KnownModels.SmallCnn.Create(3, ModelWeights.FromFile(path)), path, "NaN or infinite", "layer2.conv.weight (1 of 4608 values)");
    }

    [Fact]
    public void Load_BatchNormStatisticsOfInfinity_AreRefusedListingEveryBadTensor()
    {
        string path = SmallCnnCheckpoints.WriteModified(directory, state =>
        {
            state["layer1.bn.running_var"].fill_(float.PositiveInfinity);
            state["layer3.bn.running_mean"][0] = float.NaN;
        });

        Refusals.Expect<ModelWeightsException>(
            () => KnownModels.SmallCnn.Create(3, ModelWeights.FromFile(path)),
            path,
            "2 non-finite key(s): layer1.bn.running_var (16 of 16 values), layer3.bn.running_mean (1 of 64 values)");
    }

    [Fact]
    public void Load_SafetensorsWithAMisShapedTensor_IsRefusedNamingTheKey()
    {
        string path = SmallCnnCheckpoints.WriteModified(directory, state => state["layer1.conv.weight"] = torch.zeros(16, 3, 5, 5), safetensors: true);

        Refusals.Expect<ModelWeightsException>(
            () => KnownModels.SmallCnn.Create(3, ModelWeights.FromFile(path)), path, "mis-shaped key(s): layer1.conv.weight", "[16,3,5,5] in the file");
    }

    [Fact]
    public void Load_KeyHoldingALineBreak_IsReportedOnOneLine()
    {
        string path = SmallCnnCheckpoints.WriteModified(directory, state => state["evil\nkey"] = torch.zeros(1));

        Refusals.Expect<ModelWeightsException>(() => KnownModels.SmallCnn.Create(3, ModelWeights.FromFile(path)), path, "unexpected key(s): evil key");
    }

    [Theory]
    [InlineData(false, 0.01)]
    [InlineData(false, 0.5)]
    [InlineData(false, 0.999)]
    [InlineData(true, 0.05)]
    [InlineData(true, 0.5)]
    [InlineData(true, 0.999)]
    public void Load_TruncatedFile_IsRefusedNamingIt(bool safetensors, double kept)
    {
        string path = SmallCnnCheckpoints.WriteModified(directory, _ => { }, safetensors);
        byte[] whole = File.ReadAllBytes(path);
        File.WriteAllBytes(path, whole[..Math.Max(10, (int)(whole.Length * kept))]);

        Refusals.Expect<ModelWeightsException>(() => KnownModels.SmallCnn.Create(3, ModelWeights.FromFile(path)), $"'{path}'");
    }

    [Theory]
    [InlineData(1, "none")]
    [InlineData(2, "none")]
    [InlineData(1, "zip")]
    [InlineData(2, "zip")]
    [InlineData(1, "safetensors")]
    [InlineData(2, "safetensors")]
    [InlineData(1, "legacy")]
    public void Load_RandomBytes_AreRefusedNamingTheFile(int seed, string prefix)
    {
        byte[] bytes = new byte[4096];
        new Random(seed).NextBytes(bytes);
        switch (prefix)
        {
            case "zip":
                "PK\u0003\u0004"u8.CopyTo(bytes);
                break;
            case "safetensors":
                BinaryPrimitives.WriteUInt64LittleEndian(bytes, 200);
                bytes[8] = (byte)'{';
                break;
            case "legacy":
                bytes[0] = LegacyPickle;
                break;
            default:
                bytes[0] = (byte)'r'; // neither a zip, pickle nor safetensors start
                break;
        }

        string path = Path.Combine(directory, $"random-{seed}-{prefix}.bin");
        File.WriteAllBytes(path, bytes);

        Refusals.Expect<ModelWeightsException>(() => KnownModels.SmallCnn.Create(3, ModelWeights.FromFile(path)), $"'{path}'");
    }

    [Theory]
    [InlineData("\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,4000000]", "[0, 4000000] but the data section has 16 bytes")]
    [InlineData("\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[1000,1016]", "[1000, 1016] but the data section has 16 bytes")]
    [InlineData("\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[-16,0]", "no valid data_offsets")]
    [InlineData("\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[16,0]", "[16, 0]")]
    [InlineData("\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0]", "no valid data_offsets")]
    [InlineData("\"dtype\":\"F32\",\"shape\":[1000000000000],\"data_offsets\":[0,16]", "needs more than")]
    [InlineData("\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,16],\"data_offsets\":[0,16]", "needs more than")]
    [InlineData("\"dtype\":\"F32\",\"shape\":[-4],\"data_offsets\":[0,16]", "no valid shape")]
    [InlineData("\"dtype\":\"F32\",\"shape\":[8],\"data_offsets\":[0,16]", "needs 32 bytes but its data_offsets span 16")]
    [InlineData("\"dtype\":\"F128\",\"shape\":[4],\"data_offsets\":[0,16]", "dtype 'F128'")]
    [InlineData("\"shape\":[4],\"data_offsets\":[0,16]", "dtype ''")]
    public void Load_SafetensorsWhoseHeaderLies_IsRefusedBeforeReadingTensors(string entry, string problem)
    {
        string path = WriteSafetensors("{\"__metadata__\":{\"format\":\"pt\"},\"layer1.conv.weight\":{" + entry + "}}", dataBytes: 16);

        Refusals.Expect<ModelWeightsException>(
            () => KnownModels.SmallCnn.Create(3, ModelWeights.FromFile(path)), path, "corrupt safetensors header", problem);
    }

    [Theory]
    [InlineData("{\"w\": 5}", "tensor 'w' is a JSON Number")]
    [InlineData("{not json", "not valid JSON")]
    public void Load_SafetensorsWithAMalformedHeader_IsRefused(string header, string problem)
    {
        string path = WriteSafetensors(header, dataBytes: 16);

        Refusals.Expect<ModelWeightsException>(
            () => KnownModels.SmallCnn.Create(3, ModelWeights.FromFile(path)), path, "corrupt safetensors header", problem);
    }

    [Theory]
    [InlineData(ulong.MaxValue)]
    [InlineData(1UL << 40)]
    public void Load_SafetensorsHeaderLengthPastTheEnd_IsRefused(ulong headerLength)
    {
        string path = WriteSafetensors("{\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}", dataBytes: 1);
        using (FileStream stream = File.OpenWrite(path))
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, headerLength);
            stream.Write(length);
        }

        Refusals.Expect<ModelWeightsException>(
            () => KnownModels.SmallCnn.Create(3, ModelWeights.FromFile(path)), path, "neither a PyTorch zip checkpoint nor a safetensors file");
    }

    [Theory]
    [InlineData("os", "system", false)]
    [InlineData("posix", "system", true)]
    [InlineData("subprocess", "check_call", false)]
    [InlineData("builtins", "exec", true)]
    [InlineData("builtins", "eval", false)]
    public void Load_PickleThatWouldRunCode_IsRefusedWithoutRunningIt(string module, string function, bool insideDict)
    {
        string marker = Path.Combine(directory, "pwned");
        string argument = module == "builtins" ? $"open('{marker}', 'w').close()" : $"touch {marker}";
        string path = Path.Combine(directory, $"hostile-{module}-{function}.pth");
        WriteTorchZip(path, HostilePickle(module, function, argument, insideDict));

        Refusals.Expect<ModelWeightsException>(() => KnownModels.SmallCnn.Create(3, ModelWeights.FromFile(path)), $"'{path}'");
        File.Exists(marker).Should().BeFalse("unpickling must never run code");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Load_WeightsFileThatIsAFifo_IsRefusedByTypeWithoutBlocking(bool fromDirectory)
    {
        string fifo = SpecialFiles.Fifo(Path.Combine(directory, "small-cnn.safetensors"));
        ModelWeights weights = fromDirectory ? ModelWeights.FromDirectory(directory) : ModelWeights.FromFile(fifo);

        Refusals.Expect<ModelWeightsException>(() => KnownModels.SmallCnn.Create(3, weights), $"'{fifo}'", "FIFO", "not a regular file");
    }

    [Fact]
    public void Load_WeightsFileThatIsADevice_IsRefusedByType()
    {
        string device = SpecialFiles.NullDevice(Path.Combine(directory, "small-cnn.pth"));

        Refusals.Expect<ModelWeightsException>(
            () => KnownModels.SmallCnn.Create(3, ModelWeights.FromFile(device)), $"'{device}'", "character device", "not a regular file");
    }

    [Fact]
    public void Load_WeightsFileThatIsAFolder_SaysItIsAFolder()
    {
        string folder = Directory.CreateDirectory(Path.Combine(directory, "small-cnn.pth")).FullName;

        Refusals.Expect<ModelWeightsException>(
            () => KnownModels.SmallCnn.Create(3, ModelWeights.FromFile(folder)), $"'{folder}'", "is a folder, not a regular file");
    }

    private static byte[] HostilePickle(string module, string function, string argument, bool insideDict)
    {
        // Protocol 2: GLOBAL module.function, BINUNICODE argument, TUPLE1, REDUCE; optionally as the value of {"w": ...}.
        var pickle = new List<byte> { 0x80, 0x02 };
        if (insideDict)
        {
            pickle.Add((byte)'}');
            pickle.AddRange(BinUnicode("w"));
        }

        pickle.Add((byte)'c');
        pickle.AddRange(Encoding.ASCII.GetBytes($"{module}\n{function}\n"));
        pickle.AddRange(BinUnicode(argument));
        pickle.Add(0x85);
        pickle.Add((byte)'R');
        if (insideDict)
        {
            pickle.Add((byte)'s');
        }

        pickle.Add((byte)'.');
        return [.. pickle];
    }

    private static byte[] BinUnicode(string text)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        byte[] result = new byte[5 + utf8.Length];
        result[0] = (byte)'X';
        BinaryPrimitives.WriteInt32LittleEndian(result.AsSpan(1), utf8.Length);
        utf8.CopyTo(result, 5);
        return result;
    }

    private static void WriteTorchZip(string path, byte[] pickle)
    {
        using ZipArchive zip = ZipFile.Open(path, ZipArchiveMode.Create);
        using (Stream entry = zip.CreateEntry("archive/data.pkl", CompressionLevel.NoCompression).Open())
        {
            entry.Write(pickle);
        }

        using Stream version = zip.CreateEntry("archive/version", CompressionLevel.NoCompression).Open();
        version.Write("3\n"u8);
    }

    private string WriteSafetensors(string header, int dataBytes)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        byte[] file = new byte[8 + json.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        string path = Path.Combine(directory, $"lying-{Guid.NewGuid():N}.safetensors");
        File.WriteAllBytes(path, file);
        return path;
    }
}
