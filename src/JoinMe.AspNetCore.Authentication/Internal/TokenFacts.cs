using System.Text.Json.Serialization;
using ZiggyCreatures.Caching.Fusion.Internals.Distributed;

namespace JoinMe.AspNetCore.Authentication.Internal;

/// <summary>
/// What is cached about one token: what tokenInfo said (<see cref="Info"/> with <see cref="JoinMeFailureReason.None"/>), that join.me rejected it
/// (<see cref="JoinMeFailureReason.InvalidToken"/>), that the app revoked it (<see cref="JoinMeFailureReason.Revoked"/>), or, for a second and on this
/// instance only, why it could not be asked. Never a verdict of one scheme's options: every request judges these facts against its own.
/// </summary>
/// <param name="Reason">See above.</param>
/// <param name="Info">What tokenInfo said, when it vouched for the token.</param>
/// <param name="FetchedAt">When tokenInfo answered (or the app revoked the token), on the writer's clock.</param>
/// <param name="RetryAfter">For <see cref="JoinMeFailureReason.CallerOverBudget"/>, which is never cached: when the caller's budget allows a call again.</param>
internal sealed record TokenFacts(JoinMeFailureReason Reason, JoinMeTokenInfo? Info, DateTimeOffset FetchedAt, [property: JsonIgnore] TimeSpan? RetryAfter = null);

/// <summary>The shared tier's wire format of <see cref="TokenFacts"/>: source-generated, so it is trim- and AOT-safe.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(FusionCacheDistributedEntry<TokenFacts>))]
internal sealed partial class TokenFactsJsonContext : JsonSerializerContext;
