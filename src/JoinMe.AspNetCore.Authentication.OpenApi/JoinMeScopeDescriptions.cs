namespace JoinMe.AspNetCore.Authentication.OpenApi;

/// <summary>What each of join.me's scopes lets a token do, as the security scheme's scope list tells a person signing in.</summary>
internal static class JoinMeScopeDescriptions
{
    /// <summary>The description of a scope that is not one of join.me's four (the handler accepts any scope name).</summary>
    public const string Unknown = "A scope this API requires that join.me is not known to grant.";

    private static readonly Dictionary<string, string> Known = new(StringComparer.Ordinal)
    {
        [JoinMeScopes.UserInfo] = "Read the user's profile (GET /v1/user).",
        [JoinMeScopes.Scheduler] = "Read and manage scheduled meetings (/v1/meetings).",
        [JoinMeScopes.StartMeeting] = "Start meetings (POST /v1/meetings/start).",
        [JoinMeScopes.Provisioning] = "Manage presenters (/v1/presenters); granted to join.me Business API keys only.",
    };

    /// <summary>join.me's scopes in <see cref="JoinMeScopes.All"/> order, then <paramref name="required"/>'s others, each with its description.</summary>
    public static Dictionary<string, string> For(IEnumerable<string> required)
    {
        var scopes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var scope in JoinMeScopes.All)
        {
            scopes[scope] = Describe(scope);
        }

        foreach (var scope in required)
        {
            scopes.TryAdd(scope, Unknown);
        }

        return scopes;
    }

    public static string Describe(string scope) => Known.TryGetValue(scope, out var description) ? description : Unknown;
}
