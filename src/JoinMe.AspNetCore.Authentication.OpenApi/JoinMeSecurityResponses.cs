using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace JoinMe.AspNetCore.Authentication.OpenApi;

/// <summary>
/// The join.me handler's answers to a request it does not let through, as OpenAPI responses with their headers: 401 (and its
/// challenge), 403 <c>insufficient_scope</c> where scopes are required, 429 with <c>Retry-After</c> when the caller is over its
/// budget of new tokens, and 503 with <c>Retry-After</c> when join.me cannot be asked. Descriptions the handler sends come from the
/// handler itself (<see cref="JoinMeAuthenticationException"/>'s message for a reason), so the two cannot drift apart.
/// </summary>
internal static class JoinMeSecurityResponses
{
    public static void AddTo(OpenApiOperation operation, JoinMeOptions options, IReadOnlyList<string> scopes)
    {
        operation.Responses ??= [];
        var unavailableIs401 = options.UnavailableStatusCode == StatusCodes.Status401Unauthorized;

        Add(operation.Responses, StatusCodes.Status401Unauthorized,
            "No join.me access token, or one that is malformed, invalid, expired, revoked or issued to another app" +
            (unavailableIs401 ? "; or join.me could not be asked whether it is valid." : "."),
            HeaderNames.WWWAuthenticate,
            Header(JsonSchemaType.String,
                "The RFC 6750 challenge: Bearer alone when no token was sent, Bearer error=\"invalid_token\" when the token was not accepted.",
                Challenge(options, ("error", "invalid_token"),
                    ("error_description", options.IncludeErrorDetails ? Describe(JoinMeFailureReason.InvalidToken) : null))));

        if (scopes.Count > 0)
        {
            Add(operation.Responses, StatusCodes.Status403Forbidden,
                $"The token is valid but lacks a scope this operation requires ({string.Join(' ', scopes)}).",
                HeaderNames.WWWAuthenticate,
                Header(JsonSchemaType.String,
                    "The RFC 6750 challenge naming the missing scopes: Bearer error=\"insufficient_scope\", scope=\"...\".",
                    Challenge(options, ("error", "insufficient_scope"), ("scope", string.Join(' ', scopes)))));
        }

        if (options.MaxCacheMissesPerCallerPerMinute > 0)
        {
            Add(operation.Responses, StatusCodes.Status429TooManyRequests,
                $"{Describe(JoinMeFailureReason.CallerOverBudget)} The token was not judged: keep it.",
                HeaderNames.RetryAfter,
                Header(JsonSchemaType.Integer, "Seconds until this client may bring a token the API has not seen yet."));
        }

        if (!unavailableIs401)
        {
            Add(operation.Responses, options.UnavailableStatusCode,
                "join.me could not be asked whether the token is valid (unreachable, slow, rate-limited or failing). " +
                "The token may still be good: keep it and try again later.",
                HeaderNames.RetryAfter,
                options.RetryAfter <= TimeSpan.Zero ? null : Header(JsonSchemaType.Integer,
                    "Seconds to wait before trying again.", JsonValue.Create((long)Math.Ceiling(options.RetryAfter.TotalSeconds))));
        }
    }

    private static OpenApiHeader Header(JsonSchemaType type, string description, JsonNode? example = null) =>
        new() { Description = description, Schema = new OpenApiSchema { Type = type }, Example = example };

    // The handler's own client-safe description of a reason.
    private static string Describe(JoinMeFailureReason reason) => new JoinMeAuthenticationException(reason).Message;

    // A response the operation already declares keeps its description; it only gains the header.
    private static void Add(OpenApiResponses responses, int statusCode, string description, string headerName, OpenApiHeader? header)
    {
        var key = statusCode.ToString(CultureInfo.InvariantCulture);
        if (!responses.TryGetValue(key, out var existing))
        {
            existing = new OpenApiResponse { Description = description };
            responses[key] = existing;
        }

        if (header is not null && existing is OpenApiResponse response)
        {
            response.Headers ??= new Dictionary<string, IOpenApiHeader>(StringComparer.OrdinalIgnoreCase);
            response.Headers.TryAdd(headerName, header);
        }
    }

    // An example challenge as the handler writes it: realm first when set, each value quoted with " and \ escaped.
    private static JsonNode Challenge(JoinMeOptions options, params (string Name, string? Value)[] parameters)
    {
        var challenge = new StringBuilder("Bearer");
        var separator = " ";
        foreach (var (name, value) in parameters.Prepend(("realm", options.Realm)))
        {
            if (value is not null)
            {
                challenge.Append(separator).Append(name).Append("=\"").Append(value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
                separator = ", ";
            }
        }

        return JsonValue.Create(challenge.ToString());
    }
}
