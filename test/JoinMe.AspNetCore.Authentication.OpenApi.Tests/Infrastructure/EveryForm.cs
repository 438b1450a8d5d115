namespace JoinMe.AspNetCore.Authentication.OpenApi.Tests;

/// <summary>
/// An API that asks for join.me scopes in every way the package offers, and for none in the ways ASP.NET Core offers;
/// the controllers beside this file are mapped with it.
/// </summary>
public static class EveryForm
{
    /// <summary>A policy built with <c>RequireScope</c>.</summary>
    public const string PlannerPolicy = "planner";

    /// <summary>A scheme that is not join.me's.</summary>
    public const string OtherScheme = "Other";

    public static void AddServices(IServiceCollection services) =>
        services.AddAuthorizationBuilder()
            .AddPolicy(PlannerPolicy, policy => policy.RequireScope(JoinMeScopes.Scheduler, JoinMeScopes.UserInfo));

    public static void Map(WebApplication app)
    {
        app.MapGet("/endpoint-scope", () => "ok").RequireScope(JoinMeScopes.Scheduler);

        var group = app.MapGroup("/group").RequireScope(JoinMeScopes.UserInfo);
        group.MapGet("/item", () => "ok");
        group.MapGet("/item-with-its-own-scope", () => "ok").RequireScope(JoinMeScopes.StartMeeting);
        group.MapGet("/open", () => "ok").AllowAnonymous();

        app.MapGet("/attribute", [RequireScope(JoinMeScopes.StartMeeting)] () => "ok");
        app.MapGet("/named-policy", [Authorize(Policy = JoinMeScopes.StartMeeting)] () => "ok");
        app.MapGet("/custom-policy", () => "ok").RequireAuthorization(PlannerPolicy);
        app.MapGet("/signed-in", () => "ok").RequireAuthorization();
        app.MapGet("/anonymous", () => "ok");
        app.MapGet("/unknown-scope", () => "ok").RequireScope("calendar");
        app.MapGet("/other-scheme", () => "ok")
            .RequireAuthorization(new AuthorizationPolicyBuilder(OtherScheme).RequireAuthenticatedUser().Build());

        app.MapControllers().RequireAuthorization();
    }
}
