using System.Buffers;
using System.Net.Http.Headers;

namespace JoinMe.AspNetCore.Authentication.Internal;

/// <summary>Calls join.me's tokenInfo endpoint through the scheme's named client and reads the answer, never more than the size cap.</summary>
internal sealed class TokenInfoClient(IHttpClientFactory httpClientFactory)
{
    private static readonly MediaTypeWithQualityHeaderValue Json = new("application/json");

    public async Task<TokenInfoAnswer> GetAsync(JoinMeOptions options, string token, CancellationToken cancellationToken)
    {
        var client = httpClientFactory.CreateClient(options.HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Get, options.TokenInfoRequestPrefix + Uri.EscapeDataString(token));
        request.Headers.Accept.Add(Json);

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var receivedAt = options.TimeProvider!.GetUtcNow();
        if (TokenInfoResponseReader.ClassifyStatus(response.StatusCode, response) is { } failure)
        {
            return TokenInfoAnswer.Failed(failure);
        }

        if (response.Content.Headers.ContentLength > options.MaxResponseBytes)
        {
            return TokenInfoAnswer.Failed(JoinMeFailureReason.UnreadableResponse);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(options.MaxResponseBytes + 1);
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var length = await ReadAtMostAsync(stream, buffer.AsMemory(0, options.MaxResponseBytes + 1), cancellationToken).ConfigureAwait(false);
                if (length > options.MaxResponseBytes)
                {
                    return TokenInfoAnswer.Failed(JoinMeFailureReason.UnreadableResponse);
                }

                return TokenInfoResponseReader.ReadBody(buffer.AsSpan(0, length), receivedAt);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }

    private static async Task<int> ReadAtMostAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer[total..], cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }
}
