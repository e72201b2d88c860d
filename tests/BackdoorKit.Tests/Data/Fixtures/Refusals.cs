namespace BackdoorKit.Tests.Data.Fixtures;

/// <summary>Asserts that bad input is refused promptly with one exception whose message is one line and names what is wrong.</summary>
internal static class Refusals
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Runs <paramref name="act"/> (on another thread, so a read that blocks fails the test instead of hanging it) and
    /// returns the exception it throws, after checking its type, that its message is one line and contains every fragment.
    /// </summary>
    public static TException Expect<TException>(Action act, params string[] fragments)
        where TException : Exception
    {
        Task run = Task.Run(act);
        if (!((IAsyncResult)run).AsyncWaitHandle.WaitOne(Limit))
        {
            SpecialFiles.ReleaseAll();
            throw new Xunit.Sdk.XunitException($"the call did not return within {Limit.TotalSeconds} s: it blocked on a file it should have refused");
        }

        Exception? thrown = run.Exception?.InnerException;
        thrown.Should().NotBeNull("bad input must be refused");
        TException error = thrown.Should().BeOfType<TException>().Subject;
        error.Message.Should().NotContainAny(["\n", "\r"], "errors are one line").And.ContainAll(fragments);
        return error;
    }
}
