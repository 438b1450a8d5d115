using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.Net.Http.Headers;

namespace JoinMe.AspNetCore.Authentication;

/// <summary>
/// Authenticates requests that carry a join.me access token: reads the token, asks the validator, builds the principal, and
/// answers challenges and refusals as RFC 6750 says.
/// </summary>
internal sealed class JoinMeHandler(
    IOptionsMonitor<JoinMeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    JoinMeTokenValidator validator,
    JoinMeTelemetry telemetry)
    : AuthenticationHandler<JoinMeOptions>(options, loggerFactory, encoder)
{
    private new JoinMeEvents Events => (JoinMeEvents)base.Events!;

    protected override Task<object> CreateEventsAsync() => Task.FromResult<object>(new JoinMeEvents());

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var messageReceived = new MessageReceivedContext(Context, Scheme, Options);
        await Events.MessageReceived(messageReceived).ConfigureAwait(false);
        if (messageReceived.Result is not null)
        {
            return messageReceived.Result;
        }

        // As in JwtBearer, an empty token from the event means "none supplied": the header is read instead.
        ReadOnlyMemory<char> token;
        var read = string.IsNullOrEmpty(messageReceived.Token)
            ? BearerTokenReader.Read(Request, Options, out token)
            : BearerTokenReader.IsWellFormed((token = messageReceived.Token.AsMemory()).Span, Options.MaxTokenLength) ? JoinMeFailureReason.None : JoinMeFailureReason.MalformedToken;
        if (read is null)
        {
            Log.TokenMissing(Logger, Scheme.Name);
            return AuthenticateResult.NoResult();
        }

        var verdict = read == JoinMeFailureReason.None
            ? await validator.ValidateAsync(Context, Scheme, Options, Events, token).ConfigureAwait(false)
            : new Verdict(read.Value, null, null);
        telemetry.Validated(Scheme.Name, Failure.Of(verdict.Reason));
        return verdict.TokenInfo is { } tokenInfo
            ? await SucceedAsync(tokenInfo, token).ConfigureAwait(false)
            : await FailAsync(verdict).ConfigureAwait(false);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var authenticateResult = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        var failure = authenticateResult.Failure switch
        {
            null => null,
            JoinMeAuthenticationException joinMe => Failure.Of(joinMe.Reason),
            _ => Failure.Of(JoinMeFailureReason.InvalidToken),
        };
        var challenge = new JoinMeChallengeContext(Context, Scheme, Options, properties)
        {
            Reason = failure?.Reason,
            StatusCode = failure?.StatusCode ?? (failure is null ? StatusCodes.Status401Unauthorized : Options.UnavailableStatusCode),
            Error = failure?.Error,
            ErrorDescription = failure?.Description,
            RetryAfter = failure?.IsUnavailable == true ? (authenticateResult.Failure as JoinMeAuthenticationException)?.RetryAfter ?? Options.RetryAfter : null,
        };
        if (challenge.StatusCode == StatusCodes.Status401Unauthorized && failure?.IsUnavailable == true)
        {
            challenge.Error = "invalid_token";
        }

        await Events.Challenge(challenge).ConfigureAwait(false);
        if (challenge.Handled || Response.HasStarted)
        {
            return;
        }

        Response.StatusCode = challenge.StatusCode;
        if (challenge.StatusCode is StatusCodes.Status503ServiceUnavailable or StatusCodes.Status429TooManyRequests)
        {
            if (challenge.RetryAfter is { } retryAfter && retryAfter > TimeSpan.Zero)
            {
                Response.Headers.RetryAfter = ((long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }

            return;
        }

        Response.Headers.Append(HeaderNames.WWWAuthenticate, Bearer(challenge.Error, Options.IncludeErrorDetails ? challenge.ErrorDescription : null, scope: null));
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var missingScopes = Context.Features.Get<InsufficientScopeFeature>()?.MissingScopes ?? [];
        var forbidden = new ForbiddenContext(Context, Scheme, Options, properties) { MissingScopes = missingScopes };
        await Events.Forbidden(forbidden).ConfigureAwait(false);
        if (forbidden.Handled || Response.HasStarted)
        {
            return;
        }

        Response.StatusCode = StatusCodes.Status403Forbidden;
        if (missingScopes.Count > 0)
        {
            var scope = string.Join(' ', missingScopes);
            Log.InsufficientScope(Logger, Scheme.Name, scope);
            Response.Headers.Append(HeaderNames.WWWAuthenticate, Bearer("insufficient_scope", null, scope));
        }
    }

    private async ValueTask<AuthenticateResult> SucceedAsync(JoinMeTokenInfo tokenInfo, ReadOnlyMemory<char> token)
    {
        var properties = new AuthenticationProperties { ExpiresUtc = tokenInfo.ExpiresAt };
        if (Options.SaveToken)
        {
            properties.StoreTokens([new AuthenticationToken { Name = "access_token", Value = token.ToString() }]);
        }

        var validated = new TokenValidatedContext(Context, Scheme, Options, tokenInfo)
        {
            Principal = Principal(tokenInfo),
            Properties = properties,
        };
        await Events.TokenValidated(validated).ConfigureAwait(false);
        if (validated.Result is not null)
        {
            return validated.Result;
        }

        Log.TokenAccepted(Logger, Scheme.Name);
        validated.Success();
        return validated.Result!;
    }

    private async ValueTask<AuthenticateResult> FailAsync(Verdict verdict)
    {
        Log.TokenNotAccepted(Logger, Scheme.Name, verdict.Reason);
        var failed = new AuthenticationFailedContext(Context, Scheme, Options, verdict.Reason);
        await Events.AuthenticationFailed(failed).ConfigureAwait(false);
        return failed.Result ?? AuthenticateResult.Fail(new JoinMeAuthenticationException(verdict.Reason) { RetryAfter = verdict.RetryAfter });
    }

    /// <summary>The principal of a valid token: a new one per request, since user code may change it. One claim per scope.</summary>
    private ClaimsPrincipal Principal(JoinMeTokenInfo tokenInfo)
    {
        var issuer = Options.Authority;
        var identity = new ClaimsIdentity(Scheme.Name, ClaimsIdentity.DefaultNameClaimType, ClaimsIdentity.DefaultRoleClaimType);
        identity.AddClaim(new Claim(JoinMeClaimTypes.ClientId, tokenInfo.ClientId!, ClaimValueTypes.String, issuer, issuer, identity));
        foreach (var scope in tokenInfo.Scopes)
        {
            identity.AddClaim(new Claim(JoinMeClaimTypes.Scope, scope, ClaimValueTypes.String, issuer, issuer, identity));
        }

        if (tokenInfo.ExpiresAt is { } expiresAt)
        {
            var value = expiresAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
            identity.AddClaim(new Claim(JoinMeClaimTypes.ExpiresAt, value, ClaimValueTypes.DateTime, issuer, issuer, identity));
        }

        return new ClaimsPrincipal(identity);
    }

    /// <summary>An RFC 6750 §3 <c>WWW-Authenticate: Bearer</c> value, every quoted string escaped.</summary>
    private string Bearer(string? error, string? errorDescription, string? scope)
    {
        var header = new StringBuilder("Bearer");
        var separator = " ";
        foreach (var (name, value) in (ReadOnlySpan<(string, string?)>)[("realm", Options.Realm), ("error", error), ("error_description", errorDescription), ("scope", scope)])
        {
            if (value is null)
            {
                continue;
            }

            header.Append(separator).Append(name).Append("=\"");
            foreach (var character in value)
            {
                // A header value cannot carry control characters; they never come from the handler, but realm and descriptions can be set by users.
                header.Append(character is '"' or '\\' ? "\\" : string.Empty).Append(char.IsControl(character) ? ' ' : character);
            }

            header.Append('"');
            separator = ", ";
        }

        return header.ToString();
    }
}
