using BenchmarkDotNet.Running;

namespace JoinMe.AspNetCore.Benchmarks;

/// <summary>
/// <c>serve [--port N] [--tokens FILE]</c> runs the sample on Kestrel for bench/load.sh; anything else goes to BenchmarkDotNet
/// (for example <c>--filter '*'</c>).
/// </summary>
internal static class BenchProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["serve", .. var rest])
        {
            return await LoadHost.RunAsync(rest);
        }

        BenchmarkSwitcher.FromAssembly(typeof(BenchProgram).Assembly).Run(args);
        return 0;
    }
}
