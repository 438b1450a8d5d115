namespace JoinMe.AspNetCore.Authentication.Tests;

/// <summary>What the principal and the ticket of a valid token hold.</summary>
public sealed class ClaimsTests
{
    [Fact]
    public async Task Gives_one_scope_claim_per_scope_plus_client_id_and_expires_at()
    {
        await using var api = new TestApi();
        api.TokenInfo.AnswersValid("user_info scheduler start_meeting");

        var ticket = await api.ProbeAsync("tok3n");

        Assert.Equal(
            [
                new ProbeClaim(JoinMeClaimTypes.ClientId, "demo-client"),
                new ProbeClaim(JoinMeClaimTypes.Scope, "user_info"),
                new ProbeClaim(JoinMeClaimTypes.Scope, "scheduler"),
                new ProbeClaim(JoinMeClaimTypes.Scope, "start_meeting"),
                new ProbeClaim(JoinMeClaimTypes.ExpiresAt, "2026-03-01T13:00:00.0000000Z"),
            ],
            ticket.Claims);
        Assert.Equal(JoinMeAuthenticationDefaults.AuthenticationScheme, ticket.AuthenticationType);
    }

    [Fact]
    public async Task Sets_the_ticket_to_expire_when_the_token_does()
    {
        await using var api = new TestApi();
        api.TokenInfo.Answers(TokenInfoReply.Valid(TestApi.StartTime.AddMinutes(42)));

        var ticket = await api.ProbeAsync("tok3n");

        Assert.Equal(TestApi.StartTime.AddMinutes(42), ticket.ExpiresUtc);
    }

    [Theory]
    [InlineData(false, null)] // the default
    [InlineData(true, "tok3n")]
    public async Task Saves_the_token_in_the_ticket_only_when_SaveToken_is_on(bool saveToken, string? saved)
    {
        await using var api = saveToken ? new TestApi().Configure(options => options.SaveToken = true) : new TestApi();

        var ticket = await api.ProbeAsync("tok3n");

        Assert.Equal(saved, ticket.AccessToken);
    }

    [Fact]
    public async Task Builds_a_fresh_principal_per_request_so_that_one_request_cannot_change_another()
    {
        await using var api = new TestApi().Configure(options => options.Events.OnTokenValidated = context =>
        {
            ((System.Security.Claims.ClaimsIdentity)context.Principal!.Identity!).AddClaim(new(JoinMeClaimTypes.Scope, "added_per_request"));
            return Task.CompletedTask;
        });
        api.TokenInfo.AnswersValid("user_info");

        var first = await api.MeAsync("tok3n");
        var second = await api.MeAsync("tok3n");

        Assert.Equal(["user_info", "added_per_request"], first.Scopes);
        Assert.Equal(["user_info", "added_per_request"], second.Scopes);
        Assert.Equal(1, api.TokenInfo.Calls);
    }
}
