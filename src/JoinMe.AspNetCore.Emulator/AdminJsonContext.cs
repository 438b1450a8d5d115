using System.Text.Json.Serialization;

namespace JoinMe.AspNetCore.Emulator;

/// <summary>
/// Source-generated JSON metadata of the admin API's bodies, so that the package stays trim-safe.
/// Property names are snake_case, except <c>tokenInfoCalls</c>.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ClientBody))]
[JsonSerializable(typeof(List<ClientBody>))]
[JsonSerializable(typeof(MintTokenBody))]
[JsonSerializable(typeof(MintedTokenBody))]
[JsonSerializable(typeof(FaultBody))]
[JsonSerializable(typeof(StatsBody))]
[JsonSerializable(typeof(ErrorBody))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;
