namespace JoinMe.AspNetCore.Authentication;

/// <summary>
/// The OAuth 2.0 scopes that join.me grants.
/// </summary>
public static class JoinMeScopes
{
    /// <summary>Read the user's profile (<c>GET /v1/user</c>).</summary>
    public const string UserInfo = "user_info";

    /// <summary>Read and manage scheduled meetings (<c>/v1/meetings</c>).</summary>
    public const string Scheduler = "scheduler";

    /// <summary>Start meetings (<c>POST /v1/meetings/start</c>).</summary>
    public const string StartMeeting = "start_meeting";

    /// <summary>Manage presenters; granted to join.me Business API keys only.</summary>
    public const string Provisioning = "provisioning";

    /// <summary>Every scope join.me is known to grant.</summary>
    public static IReadOnlyList<string> All { get; } = [UserInfo, Scheduler, StartMeeting, Provisioning];
}
