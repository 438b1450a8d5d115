using BenchmarkDotNet.Attributes;
using JoinMe.AspNetCore.Authentication;
using JoinMe.AspNetCore.Emulator;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace JoinMe.AspNetCore.Benchmarks;

/// <summary>
/// The authenticate step alone: <c>IAuthenticationService.AuthenticateAsync(context, scheme)</c> on a fresh
/// <see cref="DefaultHttpContext"/> and request scope, as the authentication middleware calls it. JoinMe answers from its
/// cache (warmed through the emulator's in-memory backchannel); the JwtBearer schemes validate their token's signature.
/// The baseline is the same call for a request without an Authorization header.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class AuthenticateBenchmarks
{
    private BenchApp _app = null!;
    private IServiceScopeFactory _scopes = null!;
    private string _joinMe = null!;
    private string _hs256 = null!;
    private string _rs256 = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var credentials = BenchCredentials.Create();
        var emulator = credentials.Emulator;
        _app = BenchApp.Create(JoinMeAuthenticationDefaults.AuthenticationScheme, emulator.CreateBackchannelHandler());
        _scopes = _app.Services.GetRequiredService<IServiceScopeFactory>();
        (_joinMe, _hs256, _rs256) = (credentials.JoinMe, credentials.Hs256, credentials.Rs256);

        await ExpectSuccessAsync(JoinMeAuthenticationDefaults.AuthenticationScheme, _joinMe);
        await ExpectSuccessAsync(BenchJwt.Hs256Scheme, _hs256);
        await ExpectSuccessAsync(BenchJwt.Rs256Scheme, _rs256);
        if (emulator.GetStats().TokenInfoCalls != 1)
        {
            throw new InvalidOperationException("The JoinMe token was not answered from the cache after the first call.");
        }
    }

    [GlobalCleanup]
    public ValueTask CleanupAsync() => _app.DisposeAsync();

    [Benchmark(Baseline = true, Description = "No token (NoResult)")]
    public Task<AuthenticateResult> NoToken() => AuthenticateAsync(JoinMeAuthenticationDefaults.AuthenticationScheme, null);

    [Benchmark(Description = "JoinMe, cache hit")]
    public Task<AuthenticateResult> JoinMeCacheHit() => AuthenticateAsync(JoinMeAuthenticationDefaults.AuthenticationScheme, _joinMe);

    [Benchmark(Description = "JwtBearer HS256")]
    public Task<AuthenticateResult> JwtHs256() => AuthenticateAsync(BenchJwt.Hs256Scheme, _hs256);

    [Benchmark(Description = "JwtBearer RS256")]
    public Task<AuthenticateResult> JwtRs256() => AuthenticateAsync(BenchJwt.Rs256Scheme, _rs256);

    private async Task<AuthenticateResult> AuthenticateAsync(string scheme, string? authorization)
    {
        var context = new DefaultHttpContext();
        var scope = _scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            context.RequestServices = scope.ServiceProvider;
            if (authorization is not null)
            {
                context.Request.Headers.Authorization = authorization;
            }

            return await context.AuthenticateAsync(scheme).ConfigureAwait(false);
        }
    }

    private async Task ExpectSuccessAsync(string scheme, string authorization)
    {
        for (var i = 0; i < 2; i++)
        {
            var result = await AuthenticateAsync(scheme, authorization);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"{scheme} did not authenticate its token: {result.Failure?.Message}");
            }
        }
    }
}
