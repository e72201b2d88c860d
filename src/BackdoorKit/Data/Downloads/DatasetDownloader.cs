using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace BackdoorKit.Data.Downloads;

/// <summary>
/// Opt-in download of the official dataset files, each checked against its SHA-256 digest, for users who are online.
/// Nothing in BackdoorKit downloads anything unless this class is called.
/// </summary>
/// <remarks>
/// Each file is written under a temporary name and renamed into place only when its digest matches; a mismatch deletes
/// it and throws <see cref="DatasetFormatException"/> naming the file and both digests. A file already present with the
/// expected digest is not downloaded again. Archives are extracted next to the downloaded file, so the returned folder
/// can be passed straight to the matching <see cref="IDatasetReader"/>.
/// </remarks>
public sealed class DatasetDownloader : IDisposable
{
    private const int BufferBytes = 1 << 16;
    private static readonly string[] MnistFiles =
        ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"];

    private readonly HttpClient http;
    private readonly bool ownsHttp;

    /// <summary>Creates a downloader.</summary>
    /// <param name="httpClient">The client to use; one is created (and disposed with the downloader) when null.</param>
    /// <param name="options">The options; <see cref="DatasetDownloadOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentException">A base address is relative or does not end with <c>/</c>.</exception>
    public DatasetDownloader(HttpClient? httpClient = null, DatasetDownloadOptions? options = null)
    {
        Options = options ?? DatasetDownloadOptions.Default;
        ValidateBase(Options.MnistBaseUri, nameof(DatasetDownloadOptions.MnistBaseUri));
        ValidateBase(Options.Cifar10BaseUri, nameof(DatasetDownloadOptions.Cifar10BaseUri));
        ValidateBase(Options.TinyImageNetBaseUri, nameof(DatasetDownloadOptions.TinyImageNetBaseUri));
        ArgumentNullException.ThrowIfNull(Options.ExpectedSha256, nameof(options));
        ownsHttp = httpClient is null;
        http = httpClient ?? new HttpClient();
    }

    /// <summary>Gets the options.</summary>
    public DatasetDownloadOptions Options { get; }

    /// <summary>Downloads MNIST's four <c>.gz</c> IDX files into a folder.</summary>
    /// <param name="directory">The folder; created if needed.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns>The folder, ready for <see cref="Readers.MnistReader"/>.</returns>
    public async Task<string> DownloadMnistAsync(string directory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        string?[] expected = MnistFiles.Select(ExpectedDigest).ToArray();
        for (int i = 0; i < MnistFiles.Length; i++)
        {
            await DownloadFileAsync(
                new Uri(Options.MnistBaseUri, MnistFiles[i]), Path.Combine(directory, MnistFiles[i]), expected[i], cancellationToken)
                .ConfigureAwait(false);
        }

        return Path.GetFullPath(directory);
    }

    /// <summary>Downloads <c>cifar-10-binary.tar.gz</c> into a folder and extracts it there.</summary>
    /// <param name="directory">The folder; created if needed.</param>
    /// <param name="cancellationToken">Cancels the download and extraction.</param>
    /// <returns>The extracted <c>cifar-10-batches-bin</c> folder, ready for <see cref="Readers.Cifar10Reader"/>.</returns>
    public async Task<string> DownloadCifar10Async(string directory, CancellationToken cancellationToken = default)
    {
        const string archive = "cifar-10-binary.tar.gz";
        string path = await DownloadArchiveAsync(Options.Cifar10BaseUri, archive, directory, cancellationToken).ConfigureAwait(false);
        try
        {
            await using FileStream file = File.OpenRead(path);
            await using var gzip = new GZipStream(file, CompressionMode.Decompress);
            await TarFile.ExtractToDirectoryAsync(gzip, Path.GetFullPath(directory), overwriteFiles: true, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException)
        {
            throw new DatasetFormatException(path, $"corrupt archive: {e.Message}", e);
        }

        return Path.GetFullPath(Path.Combine(directory, "cifar-10-batches-bin"));
    }

    /// <summary>Downloads <c>tiny-imagenet-200.zip</c> into a folder and extracts it there.</summary>
    /// <param name="directory">The folder; created if needed.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns>The extracted <c>tiny-imagenet-200</c> folder, ready for <see cref="Readers.TinyImageNetReader"/>.</returns>
    /// <remarks>No SHA-256 is published for this file: pass one in <see cref="DatasetDownloadOptions.ExpectedSha256"/>
    /// or set <see cref="DatasetDownloadOptions.AllowUnverified"/>.</remarks>
    public async Task<string> DownloadTinyImageNetAsync(string directory, CancellationToken cancellationToken = default)
    {
        const string archive = "tiny-imagenet-200.zip";
        string path = await DownloadArchiveAsync(Options.TinyImageNetBaseUri, archive, directory, cancellationToken).ConfigureAwait(false);
        try
        {
            ZipFile.ExtractToDirectory(path, Path.GetFullPath(directory), overwriteFiles: true);
        }
        catch (InvalidDataException e)
        {
            throw new DatasetFormatException(path, $"corrupt archive: {e.Message}", e);
        }

        return Path.GetFullPath(Path.Combine(directory, "tiny-imagenet-200"));
    }

    /// <summary>Downloads one file to a temporary name, checks its SHA-256 digest and renames it into place.</summary>
    /// <param name="source">The file's address.</param>
    /// <param name="destinationPath">Where to put the file; its folder is created if needed.</param>
    /// <param name="expectedSha256">The expected digest in hex (any case), or null to keep the file unverified.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns>The SHA-256 digest of the file, lower-case hex.</returns>
    /// <exception cref="DatasetFormatException">The digest differs; the downloaded file has been deleted.</exception>
    /// <exception cref="HttpRequestException">The server did not answer with success.</exception>
    public async Task<string> DownloadFileAsync(
        Uri source, string destinationPath, string? expectedSha256, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrWhiteSpace(destinationPath);
        string destination = Path.GetFullPath(destinationPath);
        string? expected = expectedSha256?.Trim().ToLowerInvariant();
        if (expected is not null && File.Exists(destination) && await HashFileAsync(destination, cancellationToken).ConfigureAwait(false) == expected)
        {
            return expected;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        string temporary = $"{destination}.{Guid.NewGuid():N}.part";
        try
        {
            string actual = await FetchAsync(source, temporary, cancellationToken).ConfigureAwait(false);
            if (expected is not null && actual != expected)
            {
                File.Delete(temporary);
                throw new DatasetFormatException(
                    destination, $"SHA-256 mismatch: expected {expected}, actual {actual}; the downloaded file was deleted");
            }

            File.Move(temporary, destination, overwrite: true);
            return actual;
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (ownsHttp)
        {
            http.Dispose();
        }
    }

    private static void ValidateBase(Uri? uri, string name)
    {
        if (uri is null || !uri.IsAbsoluteUri || !uri.AbsolutePath.EndsWith('/'))
        {
            throw new ArgumentException(
                $"{name} must be an absolute address ending with '/'; got '{uri}'.", name);
        }
    }

    private static async Task<string> HashFileAsync(string path, CancellationToken cancellationToken)
    {
        await using FileStream file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false));
    }

    private async Task<string> DownloadArchiveAsync(Uri baseUri, string fileName, string directory, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        string? expected = ExpectedDigest(fileName);
        string path = Path.Combine(directory, fileName);
        await DownloadFileAsync(new Uri(baseUri, fileName), path, expected, cancellationToken).ConfigureAwait(false);
        return path;
    }

    private string? ExpectedDigest(string fileName)
    {
        if (Options.ExpectedSha256.TryGetValue(fileName, out string? digest))
        {
            return digest;
        }

        return Options.AllowUnverified
            ? null
            : throw new InvalidOperationException(
                $"No SHA-256 digest is known for '{fileName}'. Add one to {nameof(DatasetDownloadOptions)}.{nameof(DatasetDownloadOptions.ExpectedSha256)} " +
                $"or set {nameof(DatasetDownloadOptions.AllowUnverified)} to keep the file unverified.");
    }

    private async Task<string> FetchAsync(Uri source, string temporary, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await http.GetAsync(source, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
            .ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(
                $"Downloading {source} failed: {(int)response.StatusCode} {response.ReasonPhrase}.", null, response.StatusCode);
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (FileStream file = File.Create(temporary))
        {
            byte[] buffer = new byte[BufferBytes];
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
