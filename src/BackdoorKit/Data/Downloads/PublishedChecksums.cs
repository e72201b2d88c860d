namespace BackdoorKit.Data.Downloads;

/// <summary>The SHA-256 digests of the official dataset files, keyed by file name: the one place they are kept.</summary>
/// <remarks>
/// The MNIST and CIFAR-10 digests are the ones several independent dataset libraries publish and check for these exact
/// files (MNIST's four <c>.gz</c> files, 9,912,422 / 28,881 / 1,648,877 / 4,542 bytes; <c>cifar-10-binary.tar.gz</c>,
/// 170,052,171 bytes). BackdoorKit could not download the files to recompute them, so they are defaults, not axioms:
/// override them through <see cref="DatasetDownloadOptions.ExpectedSha256"/>. <c>tiny-imagenet-200.zip</c> has no
/// entry because its publisher gives only an MD5 sum (<c>90528d7ca1a48142e341f4ef8d21d0de</c>); supply a SHA-256 you
/// trust or opt out of verification with <see cref="DatasetDownloadOptions.AllowUnverified"/>.
/// </remarks>
public static class PublishedChecksums
{
    /// <summary>Gets the known SHA-256 digests (lower-case hex), keyed by official file name.</summary>
    public static IReadOnlyDictionary<string, string> Sha256 { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["train-images-idx3-ubyte.gz"] = "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
        ["train-labels-idx1-ubyte.gz"] = "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
        ["t10k-images-idx3-ubyte.gz"] = "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
        ["t10k-labels-idx1-ubyte.gz"] = "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
        ["cifar-10-binary.tar.gz"] = "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd",
    };
}
