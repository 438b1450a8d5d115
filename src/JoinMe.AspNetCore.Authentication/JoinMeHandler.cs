using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using JoinMe.AspNetCore.Authentication.Internal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
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
    private const string AccessTokenName = "access_token";

    private new JoinMeEvents Events => (JoinMeEvents)base.Events!;

    protected override Task<object> CreateEventsAsync() => Task.FromResult<object>(new JoinMeEvents());

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? token = null;
        if (Events.HasMessageReceivedHandler)
        {
            var messageReceived = new MessageReceivedContext(Context, Scheme, Options);
            await Events.MessageReceived(messageReceived).ConfigureAwait(false);
            if (messageReceived.Result is not null)
            {
                return messageReceived.Result;
            }

            // As in JwtBearer, an empty token from the event means "none supplied": the header is read instead.
            token = string.IsNullOrEmpty(messageReceived.Token) ? null : messageReceived.Token;
        }

        JoinMeTokenValidationResult result;
        ReadOnlyMemory<char> presented;
        if (token is not null)
        {
            presented = token.AsMemory();
            result = BearerTokenReader.IsWellFormed(token, Options.MaxTokenLength)
                ? await validator.ValidateAsync(Scheme, Options, Events, presented, Context.RequestAborted).ConfigureAwait(false)
                : JoinMeTokenValidationResult.Failed(JoinMeFailureReason.MalformedToken);
        }
        else
        {
            // The token stays a slice of the header: a cache hit hashes it in place and never copies it.
            switch (BearerTokenReader.Read(Request, Options, out presented))
            {
                case TokenReadStatus.None:
                    Log.TokenMissing(Logger, Scheme.Name);
                    return AuthenticateResult.NoResult();
                case TokenReadStatus.Malformed:
                    result = JoinMeTokenValidationResult.Failed(JoinMeFailureReason.MalformedToken);
                    break;
                case TokenReadStatus.InvalidRequest:
                    result = JoinMeTokenValidationResult.Failed(JoinMeFailureReason.InvalidRequest);
                    break;
                default:
                    result = await validator.ValidateAsync(Scheme, Options, Events, presented, Context.RequestAborted).ConfigureAwait(false);
                    break;
            }
        }

        telemetry.Validated(Scheme.Name, result.Outcome);
        return result.IsValid
            ? await SucceedAsync(result, presented).ConfigureAwait(false)
            : await FailAsync(result).ConfigureAwait(false);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var authenticateResult = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        var validation = authenticateResult.Failure switch
        {
            null => null,
            JoinMeAuthenticationException failure => failure.ValidationResult,
            _ => JoinMeTokenValidationResult.Failed(JoinMeFailureReason.InvalidToken),
        };

        var challenge = new JoinMeChallengeContext(Context, Scheme, Options, properties) { ValidationResult = validation };
        DescribeChallenge(challenge, validation);
        await Events.Challenge(challenge).ConfigureAwait(false);
        if (challenge.Handled)
        {
            return;
        }

        Response.StatusCode = challenge.StatusCode;
        if (challenge.StatusCode == StatusCodes.Status503ServiceUnavailable)
        {
            if (Options.RetryAfter > TimeSpan.Zero)
            {
                Response.Headers.RetryAfter = ((long)Math.Ceiling(Options.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }

            return;
        }

        Response.Headers.Append(HeaderNames.WWWAuthenticate, WwwAuthenticateHeader.Bearer(
            Options.Realm, challenge.Error, Options.IncludeErrorDetails ? challenge.ErrorDescription : null, scope: null));
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var missingScopes = Context.Features.Get<InsufficientScopeFeature>()?.MissingScopes ?? [];
        var forbidden = new ForbiddenContext(Context, Scheme, Options, properties) { MissingScopes = missingScopes };
        await Events.Forbidden(forbidden).ConfigureAwait(false);
        if (forbidden.Handled)
        {
            return;
        }

        Response.StatusCode = StatusCodes.Status403Forbidden;
        if (missingScopes.Count > 0)
        {
            var scope = string.Join(' ', missingScopes);
            Log.InsufficientScope(Logger, Scheme.Name, scope);
            Response.Headers.Append(HeaderNames.WWWAuthenticate, WwwAuthenticateHeader.Bearer(Options.Realm, "insufficient_scope", null, scope));
        }
    }

    // ValueTask: without a TokenValidated handler this completes at once, and then allocates no Task of its own.
    private async ValueTask<AuthenticateResult> SucceedAsync(JoinMeTokenValidationResult result, ReadOnlyMemory<char> token)
    {
        var principal = JoinMePrincipalFactory.Create(result, Scheme.Name, Options.Authority);
        var properties = new AuthenticationProperties { ExpiresUtc = result.TokenInfo!.ExpiresAt };
        if (Options.SaveToken)
        {
            properties.StoreTokens([new AuthenticationToken { Name = AccessTokenName, Value = token.ToString() }]);
        }

        Log.TokenAccepted(Logger, Scheme.Name);
        if (!Events.HasTokenValidatedHandler)
        {
            return AuthenticateResult.Success(new AuthenticationTicket(principal, properties, Scheme.Name));
        }

        var validated = new TokenValidatedContext(Context, Scheme, Options, result.TokenInfo)
        {
            Principal = principal,
            Properties = properties,
        };
        await Events.TokenValidated(validated).ConfigureAwait(false);
        if (validated.Result is not null)
        {
            return validated.Result;
        }

        validated.Success();
        return validated.Result!;
    }

    private async ValueTask<AuthenticateResult> FailAsync(JoinMeTokenValidationResult result)
    {
        Log.TokenNotAccepted(Logger, Scheme.Name, result.Outcome, result.FailureReason);
        var failed = new AuthenticationFailedContext(Context, Scheme, Options, result);
        await Events.AuthenticationFailed(failed).ConfigureAwait(false);
        return failed.Result ?? AuthenticateResult.Fail(new JoinMeAuthenticationException(result));
    }

    private void DescribeChallenge(JoinMeChallengeContext challenge, JoinMeTokenValidationResult? validation)
    {
        if (validation is null)
        {
            return;
        }

        challenge.ErrorDescription = JoinMeAuthenticationException.DescribeFailure(validation.FailureReason);
        switch (validation.Outcome)
        {
            case JoinMeTokenValidationOutcome.Unavailable:
                challenge.StatusCode = Options.UnavailableStatusCode;
                challenge.Error = challenge.StatusCode == StatusCodes.Status401Unauthorized ? "invalid_token" : null;
                break;
            case JoinMeTokenValidationOutcome.Rejected when validation.FailureReason == JoinMeFailureReason.InvalidRequest:
                challenge.StatusCode = StatusCodes.Status400BadRequest;
                challenge.Error = "invalid_request";
                break;
            default:
                challenge.Error = "invalid_token";
                break;
        }
    }
}
