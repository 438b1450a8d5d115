using System.Text;

namespace JoinMe.AspNetCore.Authentication.Internal;

/// <summary>Writes RFC 6750 §3 <c>WWW-Authenticate: Bearer</c> values, escaping every quoted string.</summary>
internal static class WwwAuthenticateHeader
{
    public static string Bearer(string? realm, string? error, string? errorDescription, string? scope)
    {
        if (realm is null && error is null && errorDescription is null && scope is null)
        {
            return "Bearer";
        }

        var builder = new StringBuilder("Bearer");
        var separator = " ";
        Append(builder, ref separator, "realm", realm);
        Append(builder, ref separator, "error", error);
        Append(builder, ref separator, "error_description", errorDescription);
        Append(builder, ref separator, "scope", scope);
        return builder.ToString();
    }

    private static void Append(StringBuilder builder, ref string separator, string name, string? value)
    {
        if (value is null)
        {
            return;
        }

        builder.Append(separator).Append(name).Append("=\"");
        foreach (var character in value)
        {
            if (character is '"' or '\\')
            {
                builder.Append('\\');
            }

            // A header value cannot carry control characters; they never come from the handler, but realm and descriptions can be set by users.
            builder.Append(char.IsControl(character) ? ' ' : character);
        }

        builder.Append('"');
        separator = ", ";
    }
}
