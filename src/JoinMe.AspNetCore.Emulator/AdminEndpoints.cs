using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace JoinMe.AspNetCore.Emulator;

/// <summary>
/// The emulator's admin API under <c>/_emulator</c>: JSON in and out, snake_case, and a clear
/// <c>{"error": "..."}</c> with a 4xx status for any bad input.
/// </summary>
/// <remarks>
/// Requests with a body must be sent as <c>application/json</c>: that makes a browser preflight them,
/// so another site's page cannot drive the emulator with a simple form or fetch; and every request
/// passes <see cref="AdminRequestGuard"/> first (this machine only, no other page).
/// </remarks>
internal static class AdminEndpoints
{
    /// <summary>The admin API's path prefix.</summary>
    public const string Prefix = "/_emulator";

    /// <summary><c>GET /_emulator/clients</c>: 200 with the registered clients.</summary>
    public static Task ListClientsAsync(HttpContext context, JoinMeEmulator emulator)
    {
        var clients = emulator.GetClients().Select(ClientBody.Of).ToList();
        return WriteAsync(context, StatusCodes.Status200OK, clients, AdminJsonContext.Default.ListClientBody);
    }

    /// <summary>
    /// <c>POST /_emulator/clients</c>: 201 when registered, 200 when its Callback URLs were replaced by those of the body
    /// (<c>redirect_uri</c>, <c>redirect_uris</c>, or both).
    /// </summary>
    public static async Task RegisterClientAsync(HttpContext context, JoinMeEmulator emulator)
    {
        var (body, status, problem) = await ReadAsync(context, AdminJsonContext.Default.ClientBody).ConfigureAwait(false);
        if (body is null)
        {
            await ErrorAsync(context, status, problem!).ConfigureAwait(false);
            return;
        }

        var redirectUris = body.AllRedirectUris();
        if (JoinMeEmulatorValidation.ValidateClient(body.ClientId, redirectUris) is { } error)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, error).ConfigureAwait(false);
            return;
        }

        var client = emulator.RegisterClient(new JoinMeEmulatorClient(body.ClientId!, redirectUris!), out var created);
        await WriteAsync(
            context,
            created ? StatusCodes.Status201Created : StatusCodes.Status200OK,
            ClientBody.Of(client),
            AdminJsonContext.Default.ClientBody).ConfigureAwait(false);
    }

    /// <summary><c>POST /_emulator/tokens</c>: 201 with the minted token and its expiry.</summary>
    public static async Task MintTokenAsync(HttpContext context, JoinMeEmulator emulator)
    {
        var (body, status, problem) = await ReadAsync(context, AdminJsonContext.Default.MintTokenBody).ConfigureAwait(false);
        if (body is null)
        {
            await ErrorAsync(context, status, problem!).ConfigureAwait(false);
            return;
        }

        string? error = null;
        TimeSpan? lifetime = null;
        if (string.IsNullOrWhiteSpace(body.ClientId))
        {
            error = "client_id is required: the API key of a registered client.";
        }
        else if (body.Scope is null)
        {
            error = "scope is required: space-delimited scope names, or \"\" for a token without scopes.";
        }
        else if (body.ExpiresIn is { } seconds)
        {
            if (seconds <= 0 || seconds > JoinMeEmulatorOptions.MaxTokenLifetime.TotalSeconds)
            {
                error = $"expires_in must be a positive number of seconds, at most {JoinMeEmulatorOptions.MaxTokenLifetime.TotalSeconds}; leave it out for the emulator's token lifetime.";
            }
            else
            {
                lifetime = TimeSpan.FromSeconds(seconds);
            }
        }

        if (error is null
            && emulator.TryMintToken(body.ClientId!, JoinMeEmulator.SplitScope(body.Scope!), lifetime, out var token, out error, out _))
        {
            await WriteAsync(
                context,
                StatusCodes.Status201Created,
                new MintedTokenBody(token.AccessToken, TokenInfoAnswer.FormatIso8601(token.ExpiresAt)),
                AdminJsonContext.Default.MintedTokenBody).ConfigureAwait(false);
            return;
        }

        await ErrorAsync(context, StatusCodes.Status400BadRequest, error!).ConfigureAwait(false);
    }

    /// <summary><c>DELETE /_emulator/tokens/{access_token}</c>: 204 when revoked, 404 when unknown.</summary>
    public static Task RevokeTokenAsync(HttpContext context, JoinMeEmulator emulator)
    {
        var accessToken = context.Request.RouteValues["access_token"] as string;
        if (string.IsNullOrEmpty(accessToken) || !emulator.RevokeToken(accessToken))
        {
            return ErrorAsync(context, StatusCodes.Status404NotFound, "The access token is not known to the emulator.");
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    /// <summary><c>GET /_emulator/stats</c>: 200 with <c>{"tokenInfoCalls": N}</c>.</summary>
    public static Task GetStatsAsync(HttpContext context, JoinMeEmulator emulator) =>
        WriteAsync(context, StatusCodes.Status200OK, new StatsBody(emulator.GetStats().TokenInfoCalls), AdminJsonContext.Default.StatsBody);

    /// <summary><c>GET /_emulator/faults</c>: 200 with the current fault.</summary>
    public static Task GetFaultAsync(HttpContext context, JoinMeEmulator emulator)
    {
        var fault = emulator.Fault;
        return WriteAsync(
            context,
            StatusCodes.Status200OK,
            new FaultBody(fault.Mode.ToString().ToLowerInvariant(), (long)fault.Delay.TotalMilliseconds),
            AdminJsonContext.Default.FaultBody);
    }

    /// <summary><c>PUT /_emulator/faults</c>: 204 once tokenInfo shows the fault.</summary>
    public static async Task SetFaultAsync(HttpContext context, JoinMeEmulator emulator)
    {
        var (body, status, problem) = await ReadAsync(context, AdminJsonContext.Default.FaultBody).ConfigureAwait(false);
        if (body is null)
        {
            await ErrorAsync(context, status, problem!).ConfigureAwait(false);
            return;
        }

        JoinMeEmulatorFaultMode? mode = body.Mode?.ToLowerInvariant() switch
        {
            "none" => JoinMeEmulatorFaultMode.None,
            "down" => JoinMeEmulatorFaultMode.Down,
            "slow" => JoinMeEmulatorFaultMode.Slow,
            "error" => JoinMeEmulatorFaultMode.Error,
            "garbage" => JoinMeEmulatorFaultMode.Garbage,
            "ratelimited" => JoinMeEmulatorFaultMode.RateLimited,
            _ => null,
        };

        var delayMs = body.DelayMs ?? 0;
        var error = mode is null
            ? $"mode must be one of \"none\", \"down\", \"slow\", \"error\", \"garbage\", \"ratelimited\"; got {(body.Mode is null ? "nothing" : $"\"{body.Mode}\"")}."
            : delayMs < 0 || delayMs > JoinMeEmulatorOptions.MaxTokenLifetime.TotalMilliseconds
                ? "delay_ms must be zero or a positive number of milliseconds."
                : JoinMeEmulator.ValidateFault(mode.Value, TimeSpan.FromMilliseconds(delayMs));
        if (error is not null)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, error).ConfigureAwait(false);
            return;
        }

        emulator.SetFault(mode!.Value, TimeSpan.FromMilliseconds(delayMs));
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary><c>POST /_emulator/reset</c>: 204 once the emulator is back to its initial state.</summary>
    public static Task ResetAsync(HttpContext context, JoinMeEmulator emulator)
    {
        emulator.Reset();
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    /// <summary>
    /// Reads a JSON body; on failure returns no body, the status to answer and what is wrong.
    /// </summary>
    private static async Task<(T? Body, int Status, string? Problem)> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        if (!context.Request.HasJsonContentType())
        {
            return (null, StatusCodes.Status415UnsupportedMediaType, "The body must be JSON, sent with Content-Type: application/json.");
        }

        try
        {
            var body = await JsonSerializer.DeserializeAsync(context.Request.Body, typeInfo, context.RequestAborted).ConfigureAwait(false);
            return body is null
                ? (null, StatusCodes.Status400BadRequest, "The body must be a JSON object, not null.")
                : (body, StatusCodes.Status200OK, null);
        }
        catch (JsonException ex)
        {
            return (null, StatusCodes.Status400BadRequest, $"The body is not valid JSON for this request: {ex.Message}");
        }
    }

    /// <summary>Answers <c>{"error": "..."}</c> with <paramref name="statusCode"/>.</summary>
    internal static Task ErrorAsync(HttpContext context, int statusCode, string error) =>
        WriteAsync(context, statusCode, new ErrorBody(error), AdminJsonContext.Default.ErrorBody);

    private static Task WriteAsync<T>(HttpContext context, int statusCode, T value, JsonTypeInfo<T> typeInfo)
    {
        context.Response.StatusCode = statusCode;
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsJsonAsync(value, typeInfo, contentType: null, context.RequestAborted);
    }
}
