namespace BackdoorKit.IO;

/// <summary>What a path names on disk, as far as deciding whether it may be opened and read to its end.</summary>
internal enum FileType
{
    /// <summary>Nothing exists at the path (or it cannot be examined).</summary>
    Missing,

    /// <summary>A regular file: the only kind that is opened and read.</summary>
    Regular,

    /// <summary>A folder.</summary>
    Directory,

    /// <summary>A FIFO (named pipe): opening it for reading blocks until a writer appears.</summary>
    Fifo,

    /// <summary>A character device such as <c>/dev/zero</c>: reading it may never end.</summary>
    CharacterDevice,

    /// <summary>A block device such as a disk.</summary>
    BlockDevice,

    /// <summary>A Unix domain socket.</summary>
    Socket,

    /// <summary>Any other kind of file system entry.</summary>
    Other,
}
