using JoinMe.AspNetCore.Emulator;

namespace JoinMe.AspNetCore.Benchmarks;

/// <summary>
/// The emulator the JoinMe apps validate against, and one Authorization header per scheme carrying the same client and scopes.
/// </summary>
internal sealed record BenchCredentials(JoinMeEmulator Emulator, string JoinMe, string Hs256, string Rs256)
{
    public static BenchCredentials Create()
    {
        // A benchmark host: its apps keep join.me's real authority, so the emulator must agree to answer for it.
        var emulator = new JoinMeEmulator(new JoinMeEmulatorOptions { UnsafeAllowOutsideDevelopment = true });
        emulator.RegisterClient(BenchApp.ClientId, "http://localhost/callback");
        return new BenchCredentials(
            emulator,
            "Bearer " + emulator.MintToken(BenchApp.ClientId, BenchApp.Scopes).AccessToken,
            "Bearer " + BenchJwt.CreateHs256Token(BenchApp.Scopes),
            "Bearer " + BenchJwt.CreateRs256Token(BenchApp.Scopes));
    }
}
