namespace JoinMe.AspNetCore.Authentication.Internal;

/// <summary>
/// Sits between the tokenInfo client's resilience handler and the handlers below it, and replaces the message of any exception they throw with a
/// fixed one: tokenInfo's URL carries the token, a handler may put the URL in an exception, and the resilience pipeline logs the exceptions it sees.
/// Cancellations pass through untouched, so that timeouts stay timeouts.
/// </summary>
internal sealed class RedactingHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            var error = exception is HttpRequestException http ? http.HttpRequestError : HttpRequestError.Unknown;
            throw new HttpRequestException(error, $"The tokenInfo request failed ({exception.GetType().Name}).");
        }
    }
}
