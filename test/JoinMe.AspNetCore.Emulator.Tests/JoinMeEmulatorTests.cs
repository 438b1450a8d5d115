namespace JoinMe.AspNetCore.Emulator.Tests;

/// <summary>The emulator's C# API, in-process, without HTTP.</summary>
public sealed class JoinMeEmulatorTests
{
    [Fact]
    public void Tokens_are_24_characters_of_join_mes_alphabet_and_never_repeat()
    {
        var emulator = NewEmulator();

        var tokens = Enumerable.Range(0, 2000).Select(_ => emulator.MintToken("app", "scheduler").AccessToken).ToList();

        Assert.All(tokens, token => Assert.Matches("^[23456789abcdefghjkmnpqrstuvwxyz]{24}$", token));
        Assert.Equal(tokens.Count, tokens.Distinct().Count());
        Assert.Equal(31, tokens.SelectMany(t => t).Distinct().Count());
    }

    [Fact]
    public void Mint_token_returns_the_client_the_scopes_in_order_without_duplicates_and_the_expiry()
    {
        var time = new FakeTimeProvider(Start);
        var emulator = NewEmulator(time: time);

        var token = emulator.MintToken("app", "start_meeting  scheduler start_meeting");

        Assert.Equal("app", token.ClientId);
        Assert.Equal(["start_meeting", "scheduler"], token.Scopes);
        Assert.Equal("start_meeting scheduler", token.Scope);
        Assert.Equal(Start.AddHours(24), token.ExpiresAt);
    }

    [Fact]
    public void A_minted_token_prints_without_its_access_token()
    {
        var emulator = NewEmulator(time: new FakeTimeProvider(Start));

        var token = emulator.MintToken("app", "scheduler");

        Assert.Equal("JoinMeEmulatorToken { ClientId = app, Scope = scheduler, ExpiresAt = 2026-11-29T10:00:00.0000000+00:00 }", token.ToString());
    }

    [Fact]
    public void Mint_token_takes_a_lifetime()
    {
        var emulator = NewEmulator(time: new FakeTimeProvider(Start));

        var token = emulator.MintToken("app", "user_info provisioning", TimeSpan.FromMinutes(3));

        Assert.Equal("user_info provisioning", token.Scope);
        Assert.Equal(Start.AddMinutes(3), token.ExpiresAt);
    }

    [Theory]
    [InlineData("nobody", "scheduler", "clientId", "The client 'nobody' is not registered with the emulator.")]
    [InlineData("app", "scheduler meetings", "scope", "The scope 'meetings' is not known to the emulator. Known scopes: user_info, scheduler, start_meeting, provisioning.")]
    public void Mint_token_rejects_an_unregistered_client_or_an_unknown_scope_naming_it(string clientId, string scope, string parameter, string message)
    {
        var emulator = NewEmulator();

        var exception = Assert.Throws<ArgumentException>(() => emulator.MintToken(clientId, scope));

        Assert.Equal(parameter, exception.ParamName);
        Assert.StartsWith(message, exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Mint_token_rejects_a_lifetime_that_is_not_positive(int seconds)
    {
        var emulator = NewEmulator();

        var exception = Assert.Throws<ArgumentException>(() => emulator.MintToken("app", "scheduler", TimeSpan.FromSeconds(seconds)));

        Assert.Equal("lifetime", exception.ParamName);
    }

    [Fact]
    public void Revoke_token_tells_whether_the_token_was_known()
    {
        var emulator = NewEmulator();
        var token = emulator.MintToken("app", "scheduler");

        Assert.True(emulator.RevokeToken(token.AccessToken));
        Assert.True(emulator.RevokeToken(token.AccessToken));
        Assert.False(emulator.RevokeToken("unknown"));
    }

    [Fact]
    public void Register_client_adds_or_replaces_and_clients_are_listed_by_id()
    {
        var emulator = new JoinMeEmulator();

        emulator.RegisterClient("b", "https://b.example/");
        emulator.RegisterClient("a", "https://a.example/");
        emulator.RegisterClient("b", "https://b.example/new");

        Assert.Equal([new("a", "https://a.example/"), new("b", "https://b.example/new")], emulator.GetClients());
        Assert.True(emulator.TryGetClient("a", out var a));
        Assert.Equal("https://a.example/", a.RedirectUri);
        Assert.False(emulator.TryGetClient("c", out _));
    }

    [Theory]
    [InlineData("", "https://a.example/", "client_id is required and must not be blank.")]
    [InlineData("app", "", "redirect_uri is required for client 'app': the application's Callback URL.")]
    [InlineData("app", "ftp://a.example/", "redirect_uri 'ftp://a.example/' must be an absolute http or https URL.")]
    [InlineData("app", "https://a.example/#done", "redirect_uri 'https://a.example/#done' must not contain a fragment")]
    public void Register_client_rejects_a_bad_registration_with_a_clear_message(string clientId, string redirectUri, string message)
    {
        var emulator = new JoinMeEmulator();

        var exception = Assert.Throws<ArgumentException>(() => emulator.RegisterClient(clientId, redirectUri));

        Assert.StartsWith(message, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Set_fault_rejects_a_slow_fault_without_delay_and_a_delay_on_another_fault()
    {
        var emulator = new JoinMeEmulator();

        var slow = Assert.Throws<ArgumentException>(() => emulator.SetFault(JoinMeEmulatorFaultMode.Slow));
        var error = Assert.Throws<ArgumentException>(() => emulator.SetFault(JoinMeEmulatorFaultMode.Error, TimeSpan.FromSeconds(1)));
        var undefined = Assert.Throws<ArgumentException>(() => emulator.SetFault((JoinMeEmulatorFaultMode)42));

        Assert.StartsWith("The slow fault needs a positive delay (delay_ms).", slow.Message, StringComparison.Ordinal);
        Assert.StartsWith("A delay (delay_ms) applies to the slow fault only, not to 'error'.", error.Message, StringComparison.Ordinal);
        Assert.Equal("mode", undefined.ParamName);
        Assert.Equal(JoinMeEmulatorFault.None, emulator.Fault);
    }

    [Fact]
    public void Reset_keeps_only_the_seed_clients_and_forgets_tokens_faults_and_counts()
    {
        var emulator = NewEmulator();
        var token = emulator.MintToken("app", "scheduler");
        emulator.RegisterClient("extra", "https://extra.example/");
        emulator.SetFault(JoinMeEmulatorFaultMode.Down);

        emulator.Reset();

        Assert.Equal([new("app", "https://app.example/cb")], emulator.GetClients());
        Assert.False(emulator.RevokeToken(token.AccessToken));
        Assert.Equal(JoinMeEmulatorFault.None, emulator.Fault);
        Assert.Equal(new JoinMeEmulatorStats(0), emulator.GetStats());
    }

    [Fact]
    public void Options_are_copied_so_later_changes_have_no_effect()
    {
        var options = new JoinMeEmulatorOptions();
        options.Clients.Add(new("app", "https://app.example/cb"));
        var emulator = new JoinMeEmulator(options, new FakeTimeProvider(Start));

        options.TokenLifetime = TimeSpan.FromMinutes(1);
        options.Clients.Clear();
        options.Scopes.Clear();

        Assert.Equal(Start.AddHours(24), emulator.MintToken("app", "scheduler").ExpiresAt);
    }

    [Fact]
    public void Defaults_follow_the_emulators_contract()
    {
        var options = new JoinMeEmulatorOptions();

        Assert.Equal(JoinMeExpiresInUnit.Minutes, options.ExpiresInUnit);
        Assert.Equal(JoinMeExpiresAtFormat.Iso8601Utc, options.ExpiresAtFormat);
        Assert.Equal(JoinMeInvalidTokenResponse.Unauthorized, options.InvalidTokenResponse);
        Assert.Equal(TimeSpan.FromHours(24), options.TokenLifetime);
        Assert.Equal(TimeSpan.Zero, options.RevocationDelay);
        Assert.Equal(["user_info", "scheduler", "start_meeting", "provisioning"], options.Scopes);
        Assert.Empty(options.Clients);
        Assert.Same(TimeProvider.System, new JoinMeEmulator().TimeProvider);
    }

    public static TheoryData<string, string> BadOptions => new()
    {
        { "lifetime-zero", "JoinMeEmulatorOptions.TokenLifetime is 00:00:00; it must be positive" },
        { "lifetime-huge", "JoinMeEmulatorOptions.TokenLifetime is 3651.00:00:00; it must be positive and at most 3650 days" },
        { "delay-negative", "JoinMeEmulatorOptions.RevocationDelay is -00:00:01; it must be zero or positive" },
        { "unit", "JoinMeEmulatorOptions.ExpiresInUnit has the undefined value 7; use Minutes or Seconds." },
        { "format", "JoinMeEmulatorOptions.ExpiresAtFormat has the undefined value 7; use Iso8601Utc, UnixSeconds or UnixMilliseconds." },
        { "style", "JoinMeEmulatorOptions.InvalidTokenResponse has the undefined value 7; use Unauthorized or GatewayForbidden." },
        { "no-scopes", "JoinMeEmulatorOptions.Scopes is empty" },
        { "bad-scope", "JoinMeEmulatorOptions.Scopes contains 'two words', which is not a scope name" },
        { "bad-client", "JoinMeEmulatorOptions.Clients: redirect_uri 'callback' must be an absolute http or https URL." },
        { "twice", "JoinMeEmulatorOptions.Clients registers the client 'app' more than once; give one registration all its Callback URLs." },
        { "one-bad-of-several", "JoinMeEmulatorOptions.Clients: redirect_uri 'https://b.example/#x' must not contain a fragment" },
        { "no-callback", "JoinMeEmulatorOptions.Clients: redirect_uri is required for client 'app'" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Constructor_rejects_invalid_options_with_a_message_naming_the_setting(string problem, string message)
    {
        var options = new JoinMeEmulatorOptions();
        switch (problem)
        {
            case "lifetime-zero": options.TokenLifetime = TimeSpan.Zero; break;
            case "lifetime-huge": options.TokenLifetime = TimeSpan.FromDays(3651); break;
            case "delay-negative": options.RevocationDelay = TimeSpan.FromSeconds(-1); break;
            case "unit": options.ExpiresInUnit = (JoinMeExpiresInUnit)7; break;
            case "format": options.ExpiresAtFormat = (JoinMeExpiresAtFormat)7; break;
            case "style": options.InvalidTokenResponse = (JoinMeInvalidTokenResponse)7; break;
            case "no-scopes": options.Scopes.Clear(); break;
            case "bad-scope": options.Scopes.Add("two words"); break;
            case "bad-client": options.Clients.Add(new("app", "callback")); break;
            case "twice": options.Clients.Add(new("app", "https://a.example/")); options.Clients.Add(new("app", "https://b.example/")); break;
            case "one-bad-of-several": options.Clients.Add(new("app", ["https://a.example/", "https://b.example/#x"])); break;
            case "no-callback": options.Clients.Add(new("app", [])); break;
        }

        var exception = Assert.Throws<ArgumentException>(() => new JoinMeEmulator(options));

        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
        Assert.Equal("options", exception.ParamName);
    }

    [Fact]
    public async Task Minting_revoking_and_tokenInfo_calls_are_safe_from_many_threads_at_once()
    {
        var emulator = NewEmulator();
        using var backchannel = new HttpClient(emulator.CreateBackchannelHandler());
        var statuses = new System.Collections.Concurrent.ConcurrentBag<System.Net.HttpStatusCode>();

        await Parallel.ForAsync(0, 400, TestContext.Current.CancellationToken, async (i, cancellationToken) =>
        {
            var token = emulator.MintToken("app", "scheduler");
            if (i % 2 == 0)
            {
                emulator.RevokeToken(token.AccessToken);
            }

            using var response = await backchannel.GetAsync(
                $"http://localhost/api/public/v1/auth/tokenInfo?access_token={token.AccessToken}", cancellationToken);
            statuses.Add(response.StatusCode);
        });

        Assert.Equal(400, emulator.GetStats().TokenInfoCalls);
        Assert.Equal(200, statuses.Count(s => s == System.Net.HttpStatusCode.OK));
        Assert.Equal(200, statuses.Count(s => s == System.Net.HttpStatusCode.Unauthorized));
    }

    private static JoinMeEmulator NewEmulator(FakeTimeProvider? time = null)
    {
        var options = new JoinMeEmulatorOptions();
        options.Clients.Add(new("app", "https://app.example/cb"));
        return new JoinMeEmulator(options, time);
    }
}
