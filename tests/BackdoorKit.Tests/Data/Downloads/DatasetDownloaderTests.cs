using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using BackdoorKit.Data;
using BackdoorKit.Data.Downloads;
using BackdoorKit.Data.Readers;
using BackdoorKit.Tests.Data.Fixtures;

namespace BackdoorKit.Tests.Data.Downloads;

public class DatasetDownloaderTests
{
    [Fact]
    public async Task DownloadMnistAsync_FilesWithExpectedHashes_AreKeptAndReadable()
    {
        using var source = new TempDirectory();
        using var target = new TempDirectory();
        DatasetFixtures.WriteSmallMnist(source.Path, gzip: true);
        Dictionary<string, byte[]> files = FilesIn(source.Path);
        using var server = new LoopbackFileServer(files);
        var options = new DatasetDownloadOptions { MnistBaseUri = server.BaseUri, ExpectedSha256 = HashesOf(files) };
        using var downloader = new DatasetDownloader(options: options);

        string folder = await downloader.DownloadMnistAsync(target.Path);

        using DatasetSplits splits = new MnistReader().Read(folder);
        splits.Train.Count.Should().Be(5);
        Directory.GetFiles(target.Path).Select(Path.GetFileName).Should().BeEquivalentTo(files.Keys);
    }

    [Fact]
    public async Task DownloadMnistAsync_FilesAlreadyPresentWithTheRightHash_AreNotFetchedAgain()
    {
        using var source = new TempDirectory();
        using var target = new TempDirectory();
        DatasetFixtures.WriteSmallMnist(source.Path, gzip: true);
        Dictionary<string, byte[]> files = FilesIn(source.Path);
        using var server = new LoopbackFileServer(files);
        using var downloader = new DatasetDownloader(
            options: new DatasetDownloadOptions { MnistBaseUri = server.BaseUri, ExpectedSha256 = HashesOf(files) });
        await downloader.DownloadMnistAsync(target.Path);

        await downloader.DownloadMnistAsync(target.Path);

        server.Requests.Should().HaveCount(4);
    }

    [Fact]
    public async Task DownloadFileAsync_WrongHash_ThrowsNamingFileAndBothHashes_AndDeletesTheFile()
    {
        using var target = new TempDirectory();
        byte[] body = [1, 2, 3, 4, 5];
        using var server = new LoopbackFileServer(new Dictionary<string, byte[]> { ["blob.bin"] = body });
        using var downloader = new DatasetDownloader();
        string expected = new('a', 64);
        string actual = Convert.ToHexStringLower(SHA256.HashData(body));

        Func<Task> act = () => downloader.DownloadFileAsync(new Uri(server.BaseUri, "blob.bin"), target.Combine("blob.bin"), expected);

        (await act.Should().ThrowAsync<DatasetFormatException>()).Which.Message.Should()
            .Contain("blob.bin").And.Contain("SHA-256 mismatch").And.Contain(expected).And.Contain(actual);
        Directory.GetFiles(target.Path).Should().BeEmpty();
    }

    [Fact]
    public async Task DownloadFileAsync_NotFound_ThrowsNamingTheAddress()
    {
        using var target = new TempDirectory();
        using var server = new LoopbackFileServer(new Dictionary<string, byte[]>());
        using var downloader = new DatasetDownloader();
        var uri = new Uri(server.BaseUri, "missing.bin");

        Func<Task> act = () => downloader.DownloadFileAsync(uri, target.Combine("missing.bin"), null);

        (await act.Should().ThrowAsync<HttpRequestException>()).Which.StatusCode.Should().Be(HttpStatusCode.NotFound);
        Directory.GetFiles(target.Path).Should().BeEmpty();
    }

    [Fact]
    public async Task DownloadCifar10Async_TarGzArchive_IsVerifiedExtractedAndReadable()
    {
        using var source = new TempDirectory();
        using var target = new TempDirectory();
        DatasetFixtures.WriteSmallCifar10(source.Combine("cifar-10-batches-bin"));
        byte[] archive = TarGz(source.Path);
        var files = new Dictionary<string, byte[]> { ["cifar-10-binary.tar.gz"] = archive };
        using var server = new LoopbackFileServer(files);
        using var downloader = new DatasetDownloader(
            options: new DatasetDownloadOptions { Cifar10BaseUri = server.BaseUri, ExpectedSha256 = HashesOf(files) });

        string folder = await downloader.DownloadCifar10Async(target.Path);

        folder.Should().Be(target.Combine("cifar-10-batches-bin"));
        using DatasetSplits splits = new Cifar10Reader().Read(folder);
        splits.Train.LabelArray().Should().Equal(6, 9, 9, 4, 1);
    }

    [Fact]
    public async Task DownloadTinyImageNetAsync_WithoutAKnownHash_RefusesBeforeDownloading()
    {
        using var target = new TempDirectory();
        using var server = new LoopbackFileServer(new Dictionary<string, byte[]>());
        using var downloader = new DatasetDownloader(options: new DatasetDownloadOptions { TinyImageNetBaseUri = server.BaseUri });

        Func<Task> act = () => downloader.DownloadTinyImageNetAsync(target.Path);

        (await act.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should()
            .Contain("tiny-imagenet-200.zip").And.Contain("AllowUnverified");
        server.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task DownloadTinyImageNetAsync_ZipWithGivenHash_IsExtractedAndReadable()
    {
        using var source = new TempDirectory();
        using var target = new TempDirectory();
        DatasetFixtures.WriteTinyImageNet(source.Combine("tiny-imagenet-200"), ["n01", "n02"], trainPerClass: 1);
        string zip = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".zip");
        ZipFile.CreateFromDirectory(source.Path, zip);
        var files = new Dictionary<string, byte[]> { ["tiny-imagenet-200.zip"] = File.ReadAllBytes(zip) };
        File.Delete(zip);
        using var server = new LoopbackFileServer(files);
        using var downloader = new DatasetDownloader(
            options: new DatasetDownloadOptions { TinyImageNetBaseUri = server.BaseUri, ExpectedSha256 = HashesOf(files) });

        string folder = await downloader.DownloadTinyImageNetAsync(target.Path);

        using DatasetSplits splits = new TinyImageNetReader().Read(folder);
        splits.Train.Count.Should().Be(2);
    }

    [Fact]
    public void Constructor_RelativeBaseUri_ThrowsNamingTheOption()
    {
        var options = new DatasetDownloadOptions { Cifar10BaseUri = new Uri("data/", UriKind.Relative) };

        Action act = () => new DatasetDownloader(options: options).Dispose();

        act.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("Cifar10BaseUri");
    }

    [Fact]
    public void PublishedChecksums_CoverMnistAndCifar10ButNotTinyImageNet()
    {
        PublishedChecksums.Sha256.Keys.Should().BeEquivalentTo(
            "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
            "cifar-10-binary.tar.gz");
        PublishedChecksums.Sha256.Values.Should().OnlyContain(h => h.Length == 64 && h.All(Uri.IsHexDigit));
    }

    private static Dictionary<string, byte[]> FilesIn(string directory) =>
        Directory.GetFiles(directory).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

    private static Dictionary<string, string> HashesOf(Dictionary<string, byte[]> files) =>
        files.ToDictionary(f => f.Key, f => Convert.ToHexStringLower(SHA256.HashData(f.Value)));

    private static byte[] TarGz(string directory)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            TarFile.CreateFromDirectory(directory, gzip, includeBaseDirectory: false);
        }

        return buffer.ToArray();
    }
}
