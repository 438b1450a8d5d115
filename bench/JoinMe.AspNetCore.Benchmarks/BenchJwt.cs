using System.Security.Cryptography;
using JoinMe.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace JoinMe.AspNetCore.Benchmarks;

/// <summary>
/// The JwtBearer side of the comparison: two schemes (HS256 and RS256) that validate self-contained tokens carrying the same
/// <c>client_id</c> and <c>scope</c> as a JoinMe token, so that the same endpoints and the same scope policy serve both.
/// Keys are made once per process.
/// </summary>
internal static class BenchJwt
{
    public const string Hs256Scheme = "JwtHs256";
    public const string Rs256Scheme = "JwtRs256";
    public const string Issuer = "https://bench.invalid";
    public const string Audience = "joinme-bench";

    private static readonly SymmetricSecurityKey Hs256Key = new(RandomNumberGenerator.GetBytes(64)) { KeyId = "bench-hs256" };
    private static readonly RsaSecurityKey Rs256Key = new(RSA.Create(2048)) { KeyId = "bench-rs256" };

    /// <summary>Adds both JwtBearer schemes.</summary>
    public static AuthenticationBuilder AddBenchJwtBearer(this AuthenticationBuilder builder) => builder
        .AddJwtBearer(Hs256Scheme, options => Configure(options, Hs256Key, SecurityAlgorithms.HmacSha256))
        .AddJwtBearer(Rs256Scheme, options => Configure(options, Rs256Key, SecurityAlgorithms.RsaSha256));

    /// <summary>A token of the HS256 scheme, valid for a day, with <paramref name="scope"/>.</summary>
    public static string CreateHs256Token(string scope) => CreateToken(new SigningCredentials(Hs256Key, SecurityAlgorithms.HmacSha256), scope);

    /// <summary>A token of the RS256 scheme, valid for a day, with <paramref name="scope"/>.</summary>
    public static string CreateRs256Token(string scope) => CreateToken(new SigningCredentials(Rs256Key, SecurityAlgorithms.RsaSha256), scope);

    private static void Configure(JwtBearerOptions options, SecurityKey key, string algorithm)
    {
        // The .NET 8+ defaults (JsonWebTokenHandler), without claim type mapping: "scope" stays "scope", as JoinMe's claims do.
        options.MapInboundClaims = false;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            IssuerSigningKey = key,
            ValidAlgorithms = [algorithm],
        };
    }

    private static string CreateToken(SigningCredentials credentials, string scope)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddDays(1),
            SigningCredentials = credentials,
            Claims = new Dictionary<string, object>
            {
                ["sub"] = "bench-user",
                [JoinMeClaimTypes.ClientId] = BenchApp.ClientId,
                [JoinMeClaimTypes.Scope] = scope,
            },
        });
    }
}
