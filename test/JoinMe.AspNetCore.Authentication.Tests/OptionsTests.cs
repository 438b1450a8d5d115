namespace JoinMe.AspNetCore.Authentication.Tests;

/// <summary>Options from <c>Authentication:Schemes:JoinMe</c> and code, checked once at start-up with messages that say what to fix.</summary>
public sealed class OptionsTests
{
    [Theory]
    [InlineData("AllowedClientIds:0", "", "AllowedClientIds", "Authentication:Schemes:JoinMe:AllowedClientIds:0")] // no allowed client id
    [InlineData("Authority", "http://localhost:5001", "RequireHttpsAuthority", "http://localhost:5001")] // http while RequireHttpsAuthority is on
    public async Task Refuses_to_start_without_an_allowed_client_id_or_with_an_http_authority_naming_the_option_and_the_value(
        string key, string value, string option, string named)
    {
        await using var api = new TestApi().WithSchemeSetting(key, value);

        var message = StartFailure(api);

        Assert.Contains(option, message, StringComparison.Ordinal);
        Assert.Contains(named, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("secure.join.me")]
    [InlineData("ftp://secure.join.me")]
    [InlineData("https://secure.join.me/?x=1")]
    public async Task Refuses_to_start_with_an_authority_that_is_not_an_absolute_https_url(string authority)
    {
        await using var api = new TestApi().Configure(options => options.Authority = authority);

        var message = StartFailure(api);

        Assert.Contains("Authority", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("TokenInfoTimeout", "abc", "'abc' at 'Authentication:Schemes:JoinMe:TokenInfoTimeout'")] // values it cannot read
    [InlineData("ClockSkew", "soon", "'soon' at 'Authentication:Schemes:JoinMe:ClockSkew'")]
    [InlineData("SaveToken", "yes", "'yes' at 'Authentication:Schemes:JoinMe:SaveToken'")]
    [InlineData("MaxTokenLength", "many", "'many' at 'Authentication:Schemes:JoinMe:MaxTokenLength'")]
    [InlineData("MaxCacheMissesPerCallerPerMinute", "many", "'many' at 'Authentication:Schemes:JoinMe:MaxCacheMissesPerCallerPerMinute'")]
    [InlineData("TokenInfoTimeout", "00:00:00", "TokenInfoTimeout must be positive")] // values out of range
    [InlineData("MaxTokenLength", "0", "MaxTokenLength must be between 1 and 65536")]
    [InlineData("MaxResponseBytes", "10", "MaxResponseBytes must be between 256 and 1048576")]
    [InlineData("ClockSkew", "-00:00:01", "ClockSkew must be zero or positive")]
    [InlineData("UnavailableStatusCode", "500", "UnavailableStatusCode must be 503 (recommended) or 401")]
    [InlineData("RetryAfter", "-00:00:05", "RetryAfter must be zero (no header) or positive")]
    public async Task Refuses_to_start_with_a_value_it_cannot_read_or_that_is_out_of_range_and_says_which_setting_and_why(string key, string value, string says)
    {
        await using var api = new TestApi().WithSchemeSetting(key, value);

        var message = StartFailure(api);

        Assert.Contains(says, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reports_every_wrong_setting_at_once()
    {
        await using var api = new TestApi()
            .WithSchemeSetting("AllowedClientIds:0", "")
            .WithSchemeSetting("Authority", "http://localhost:5001");

        var message = StartFailure(api);

        Assert.Contains("AllowedClientIds", message, StringComparison.Ordinal);
        Assert.Contains("RequireHttpsAuthority", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Uses_the_options_bound_from_configuration()
    {
        await using var api = new TestApi()
            .WithSchemeSetting("Authority", "http://localhost:5001/")
            .WithSchemeSetting("RequireHttpsAuthority", "false")
            .WithSchemeSetting("AllowedClientIds:1", "second-client")
            .WithSchemeSetting("AcceptTokenFromQuery", "true")
            .WithSchemeSetting("SaveToken", "true")
            .WithSchemeSetting("MaxTokenLength", "10")
            .WithSchemeSetting("TokenInfoTimeout", "00:00:01")
            .WithSchemeSetting("RetryAfter", "00:00:30");

        api.TokenInfo.Answers(TokenInfoReply.Valid(TestApi.StartTime.AddHours(1), clientId: "second-client"));
        var ticket = await api.ProbeAsync("tok3n");
        using var fromQuery = await api.GetAsync("/api/me?access_token=query");
        using var tooLong = await api.GetAsync("/api/me", "elevenchars");
        api.TokenInfo.Hangs();
        var pending = api.GetAsync("/api/me", "slow");
        await api.TokenInfo.WhenCallsArrived(3);
        api.Time.Advance(TimeSpan.FromSeconds(1));
        using var timedOut = await pending;

        Assert.Equal("http://localhost:5001/api/public/v1/auth/tokenInfo?access_token=tok3n", api.TokenInfo.Requests[0].Uri.AbsoluteUri);
        Assert.Equal("tok3n", ticket.AccessToken);
        Assert.Equal(HttpStatusCode.OK, fromQuery.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, tooLong.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, timedOut.StatusCode);
        Assert.Equal("30", timedOut.RetryAfter());
        Assert.Equal(3, api.TokenInfo.Calls);
    }

    [Fact]
    public async Task Keeps_the_client_ids_of_configuration_and_of_code_together()
    {
        await using var api = new TestApi().Configure(options => options.AllowedClientIds.Add("code-client"));
        api.TokenInfo.Answers((token, now) => TokenInfoReply.Valid(now.AddHours(1), clientId: token!));

        using var fromConfiguration = await api.GetAsync("/api/me", "demo-client");
        using var fromCode = await api.GetAsync("/api/me", "code-client");
        using var other = await api.GetAsync("/api/me", "other-client");

        Assert.Equal(HttpStatusCode.OK, fromConfiguration.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fromCode.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
    }

    [Fact]
    public async Task Lets_code_override_configuration()
    {
        await using var api = new TestApi()
            .WithSchemeSetting("Realm", "from-configuration")
            .Configure(options => options.Realm = "from-code");

        using var response = await api.GetAsync("/api/me");

        Assert.Equal("Bearer realm=\"from-code\"", response.WwwAuthenticate());
    }

    [Fact]
    public async Task Has_the_documented_defaults()
    {
        await using var api = new TestApi();

        var options = api.Services.GetRequiredService<IOptionsMonitor<JoinMeOptions>>().Get(JoinMeAuthenticationDefaults.AuthenticationScheme);

        Assert.Equal("https://secure.join.me", options.Authority);
        Assert.Equal(["demo-client"], options.AllowedClientIds);
        Assert.True(options.RequireHttpsAuthority);
        Assert.False(options.AcceptTokenFromQuery);
        Assert.False(options.SaveToken);
        Assert.Equal(1024, options.MaxTokenLength);
        Assert.Equal(TimeSpan.FromSeconds(5), options.TokenInfoTimeout);
        Assert.Equal(16 * 1024, options.MaxResponseBytes);
        Assert.Equal(TimeSpan.FromSeconds(30), options.ClockSkew);
        Assert.Equal(TimeSpan.FromHours(24), options.MaxCacheDuration);
        Assert.Equal(60, options.MaxCacheMissesPerCallerPerMinute);
        Assert.Null(options.MaxTokenInfoCallsPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(30), options.RejectedTokenCacheDuration);
        Assert.Equal(TimeSpan.FromMinutes(1), options.NoExpiryCacheDuration);
        Assert.Equal(503, options.UnavailableStatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), options.RetryAfter);
        Assert.Null(options.Realm);
        Assert.True(options.IncludeErrorDetails);
        Assert.Equal(JoinMeAuthenticationDefaults.HttpClientName, options.HttpClientName);
        Assert.Same(api.Clock, options.TimeProvider);
    }

    /// <summary>
    /// Starts the host, which must fail, and returns what a developer sees: every message of the exception, and the host's
    /// "Hosting failed to start" log line. (When the sample's host fails, WebApplicationFactory may report only that the host
    /// was disposed under it, so the log line is where the reason always is.)
    /// </summary>
    private static string StartFailure(TestApi api)
    {
        var exception = Assert.ThrowsAny<Exception>(api.Start);
        var messages = api.Logs.GetSnapshot().Where(log => log.Level >= LogLevel.Error).Select(log => $"{log.Message} {log.Exception}").ToList();
        Collect(exception);
        return string.Join(Environment.NewLine, messages);

        void Collect(Exception? current)
        {
            if (current is null)
            {
                return;
            }

            messages.Add(current.Message);
            if (current is AggregateException aggregate)
            {
                aggregate.InnerExceptions.ToList().ForEach(Collect);
            }
            else
            {
                Collect(current.InnerException);
            }

            if (current is OptionsValidationException validation)
            {
                messages.AddRange(validation.Failures);
            }
        }
    }
}
