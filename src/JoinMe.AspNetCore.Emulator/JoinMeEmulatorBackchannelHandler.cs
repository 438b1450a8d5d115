using System.Net;
using JoinMe.AspNetCore.Authentication;
using Microsoft.AspNetCore.WebUtilities;

namespace JoinMe.AspNetCore.Emulator;

/// <summary>
/// Answers tokenInfo requests in memory, through the same <see cref="TokenInfoAnswer"/> as the HTTP
/// endpoint, for any loopback authority (the port is not looked at). A request addressed to a real host
/// fails as a connection failure unless <paramref name="answerRealHosts"/> is set.
/// </summary>
/// <param name="emulator">The emulator that answers.</param>
/// <param name="answerRealHosts">The opt-in <see cref="JoinMeEmulatorOptions.UnsafeAllowOutsideDevelopment"/>.</param>
internal sealed class JoinMeEmulatorBackchannelHandler(JoinMeEmulator emulator, bool answerRealHosts) : HttpMessageHandler
{
    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uri = request.RequestUri;
        if (uri is null || !uri.IsAbsoluteUri)
        {
            throw new InvalidOperationException("The join.me emulator's backchannel needs an absolute request URI.");
        }

        if (!answerRealHosts && !EmulatorSafety.IsLoopbackHost(uri.Host))
        {
            throw new HttpRequestException(HttpRequestError.ConnectionError, EmulatorSafety.RefuseRealHost(uri.Host));
        }

        if (!string.Equals(uri.AbsolutePath, JoinMeAuthenticationDefaults.TokenInfoPath, StringComparison.OrdinalIgnoreCase))
        {
            return new HttpResponseMessage(HttpStatusCode.NotFound) { RequestMessage = request, Content = new ByteArrayContent([]) };
        }

        if (request.Method != HttpMethod.Get)
        {
            return new HttpResponseMessage(HttpStatusCode.MethodNotAllowed) { RequestMessage = request, Content = new ByteArrayContent([]) };
        }

        QueryHelpers.ParseQuery(uri.Query).TryGetValue("access_token", out var accessToken);
        var answer = await emulator.AnswerTokenInfoAsync(accessToken, cancellationToken).ConfigureAwait(false);
        if (answer.DropsConnection)
        {
            throw new HttpRequestException(
                HttpRequestError.ConnectionError,
                "The join.me emulator is down (fault mode 'down'): the connection was dropped without an answer.");
        }

        return answer.ToResponseMessage(request);
    }
}
