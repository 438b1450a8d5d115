using JoinMe.AspNetCore.Authentication;
using JoinMe.AspNetCore.Emulator;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// Serves the join.me emulator over HTTP at join.me's paths.
/// </summary>
public static class JoinMeEmulatorEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the emulator registered by <c>services.AddJoinMeEmulator()</c>, at join.me's exact paths:
    /// <list type="bullet">
    /// <item><c>GET /api/public/v1/auth/oauth2</c>: validation, then the consent page (or a 400 error page); <c>POST</c> to the same path takes Allow or Deny.</item>
    /// <item><c>GET /api/public/v1/auth/tokenInfo?access_token=...</c>: <c>client_id</c>, <c>scope</c>, <c>expires_at</c>.</item>
    /// <item>The admin API: <c>GET|POST /_emulator/clients</c>, <c>POST /_emulator/tokens</c>,
    /// <c>DELETE /_emulator/tokens/{access_token}</c>, <c>GET /_emulator/stats</c>, <c>GET|PUT /_emulator/faults</c>,
    /// <c>POST /_emulator/reset</c>. It answers callers on this machine only, and no request that another web page made a
    /// browser send (403).</item>
    /// </list>
    /// The endpoints allow anonymous access (a fallback authorization policy does not hide them) and are
    /// left out of API descriptions.
    /// </summary>
    /// <param name="endpoints">The app's endpoints.</param>
    /// <returns>A builder to add conventions to all the emulator's endpoints (for example <c>RequireHost</c>).</returns>
    /// <exception cref="InvalidOperationException"><c>AddJoinMeEmulator</c> was not called, or the app runs outside Development
    /// without <see cref="JoinMeEmulatorOptions.UnsafeAllowOutsideDevelopment"/>.</exception>
    public static IEndpointConventionBuilder MapJoinMeEmulator(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        var emulator = services.GetService<JoinMeEmulator>()
            ?? throw new InvalidOperationException(
                "The join.me emulator is not registered: call services.AddJoinMeEmulator() before app.MapJoinMeEmulator().");
        var optedIn = services.GetService<IOptions<JoinMeEmulatorOptions>>()?.Value.UnsafeAllowOutsideDevelopment ?? false;
        if (EmulatorSafety.RefuseEnvironment(services.GetService<IHostEnvironment>(), optedIn) is { } refusal)
        {
            throw new InvalidOperationException(refusal);
        }

        var group = endpoints.MapGroup(string.Empty);
        group.MapGet(JoinMeAuthenticationDefaults.AuthorizePath, context => AuthorizeEndpoint.ShowConsentAsync(context, emulator))
            .WithDisplayName("join.me emulator: authorize");
        group.MapPost(JoinMeAuthenticationDefaults.AuthorizePath, context => AuthorizeEndpoint.AnswerConsentAsync(context, emulator))
            .WithDisplayName("join.me emulator: consent answer");
        group.MapGet(JoinMeAuthenticationDefaults.TokenInfoPath, context => TokenInfoEndpoint.AnswerAsync(context, emulator))
            .WithDisplayName("join.me emulator: tokenInfo");

        var admin = group.MapGroup(AdminEndpoints.Prefix);
        admin.MapGet("/clients", AdminRequestGuard.Guard(context => AdminEndpoints.ListClientsAsync(context, emulator)));
        admin.MapPost("/clients", AdminRequestGuard.Guard(context => AdminEndpoints.RegisterClientAsync(context, emulator)));
        admin.MapPost("/tokens", AdminRequestGuard.Guard(context => AdminEndpoints.MintTokenAsync(context, emulator)));
        admin.MapDelete("/tokens/{access_token}", AdminRequestGuard.Guard(context => AdminEndpoints.RevokeTokenAsync(context, emulator)));
        admin.MapGet("/stats", AdminRequestGuard.Guard(context => AdminEndpoints.GetStatsAsync(context, emulator)));
        admin.MapGet("/faults", AdminRequestGuard.Guard(context => AdminEndpoints.GetFaultAsync(context, emulator)));
        admin.MapPut("/faults", AdminRequestGuard.Guard(context => AdminEndpoints.SetFaultAsync(context, emulator)));
        admin.MapPost("/reset", AdminRequestGuard.Guard(context => AdminEndpoints.ResetAsync(context, emulator)));

        group.AllowAnonymous();
        group.ExcludeFromDescription();
        return group;
    }
}
