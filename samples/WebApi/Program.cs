using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using JoinMe.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Scalar.AspNetCore;
using WebApi;

var builder = WebApplication.CreateBuilder(args);

// Options come from appsettings.json (Authentication:Schemes:JoinMe); code could set them too.
builder.Services.AddAuthentication(JoinMeAuthenticationDefaults.AuthenticationScheme).AddJoinMe();
builder.Services.AddAuthorization();
builder.Services.AddControllers();
builder.Services.AddHealthChecks().AddJoinMeTokenInfo(tags: ["ready"]);

// Several instances share what join.me said, and sign-outs, through Redis when a connection string is given (the Aspire convention).
if (builder.Configuration.GetConnectionString("Redis") is { Length: > 0 } redis)
{
    builder.Services.AddJoinMeRedisCache(redis);
}

// /openapi/v1.json describes join.me's sign-in (the implicit flow and its scopes) and what each operation requires.
builder.Services.AddOpenApi(options => options.AddJoinMeSecurity());

// In Development the sample hosts a join.me emulator at its own origin, so it runs with no join.me account and no network.
var sample = SampleSettings.From(builder.Configuration, builder.Environment);
if (sample.UseEmulator)
{
    builder.Services.AddJoinMeEmulator();
    builder.Services.AddJoinMeEmulatorBackchannel();
    builder.Services.Configure<JoinMeOptions>(JoinMeAuthenticationDefaults.AuthenticationScheme, SampleSettings.PointAtHostedEmulator);
}

var app = builder.Build();

app.UseDefaultFiles();
app.UseStaticFiles();
app.UseAuthentication();
app.UseAuthorization();

var api = app.MapGroup("/api");

api.MapGet("/ping", () => Results.Ok(new { status = "ok" })).AllowAnonymous();

api.MapGet("/me", (ClaimsPrincipal user) => Results.Ok(new
{
    client_id = user.FindFirstValue(JoinMeClaimTypes.ClientId),
    scopes = user.FindAll(JoinMeClaimTypes.Scope).Select(claim => claim.Value).ToArray(),
    expires_at = user.FindFirstValue(JoinMeClaimTypes.ExpiresAt),
})).RequireAuthorization();

api.MapGet("/user", [RequireScope(JoinMeScopes.UserInfo)] () => Results.Ok(new
{
    username = "demo.user",
    email = "demo.user@example.com",
    fullName = "Demo User",
}));

api.MapGet("/meetings", () => Results.Ok(new[]
{
    new { meetingId = 1001, subject = "Weekly planning", startDate = "2026-12-01T09:00:00Z" },
    new { meetingId = 1002, subject = "Customer demo", startDate = "2026-12-02T15:30:00Z" },
})).RequireScope(JoinMeScopes.Scheduler);

// Sign-out: the caller's own token is revoked at once, on every instance, though join.me takes up to 10 minutes to forget it.
// The token is the one this request was authenticated with: from the Authorization header, or from the query when AcceptTokenFromQuery is on.
api.MapPost("/signout", async (HttpContext context, JoinMeTokenCache tokens) =>
{
    var token = AuthenticationHeaderValue.TryParse(context.Request.Headers.Authorization, out var header) && header.Parameter is { } fromHeader
        ? fromHeader
        : context.Request.Query["access_token"].ToString();
    await tokens.RevokeAsync(token, cancellationToken: context.RequestAborted);
    return Results.NoContent();
}).RequireAuthorization();

app.MapControllers();

// Liveness never calls join.me and is public; readiness asks join.me (through the same circuit and limits as validation) and answers
// this machine's own callers only, so that no anonymous caller can make the app spend its tokenInfo budget.
app.MapHealthChecks("/health", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous().Add(endpoint =>
{
    var next = endpoint.RequestDelegate!;
    endpoint.RequestDelegate = context => IPAddress.IsLoopback(context.Connection.RemoteIpAddress ?? IPAddress.None)
        ? next(context)
        : Results.NotFound().ExecuteAsync(context);
});

// What the browser page needs to build the authorize URL.
app.MapGet("/sample-config", (HttpContext context) => Results.Ok(new
{
    authorizeEndpoint = sample.AuthorizeEndpoint,
    clientId = sample.ClientId,
    redirectUri = sample.RedirectUri(context.RequestServices),
    scopes = JoinMeScopes.All,
    emulator = sample.UseEmulator,
})).AllowAnonymous().ExcludeFromDescription();

// The API described, and tried out in Scalar at /scalar: Authorize signs in through the implicit flow with the sample's client
// and scopes, in a popup that comes back to a page that keeps the token in its fragment for Scalar to read.
app.MapOpenApi();
app.MapScalarApiReference(options => options
    .WithTitle("JoinMe.AspNetCore sample API")
    .DisableDefaultFonts()
    .DisableTelemetry()
    .AddPreferredSecuritySchemes(JoinMeAuthenticationDefaults.AuthenticationScheme)
    .AddImplicitFlow(JoinMeAuthenticationDefaults.AuthenticationScheme, flow =>
    {
        flow.ClientId = sample.ClientId;
        flow.SelectedScopes = [.. SampleSettings.ApiScopes];
        flow.RedirectUri = SampleSettings.ScalarCallbackPath;
    }));

if (sample.UseEmulator)
{
    app.MapJoinMeEmulator();
    app.Lifetime.ApplicationStarted.Register(() => DemoClient.Register(app, sample.ClientId));
}

app.Run();

/// <summary>The sample's entry point, visible to <c>WebApplicationFactory&lt;Program&gt;</c> in tests.</summary>
public partial class Program;
