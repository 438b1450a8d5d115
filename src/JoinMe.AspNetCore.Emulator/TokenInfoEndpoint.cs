using Microsoft.AspNetCore.Http;

namespace JoinMe.AspNetCore.Emulator;

/// <summary>
/// join.me's tokenInfo endpoint over HTTP: writes the emulator's <see cref="TokenInfoAnswer"/>, or
/// aborts the connection when the emulator is <c>down</c>.
/// </summary>
internal static class TokenInfoEndpoint
{
    /// <summary><c>GET /api/public/v1/auth/tokenInfo?access_token=...</c>.</summary>
    public static async Task AnswerAsync(HttpContext context, JoinMeEmulator emulator)
    {
        TokenInfoAnswer answer;
        try
        {
            answer = await emulator.AnswerTokenInfoAsync(context.Request.Query["access_token"], context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        if (answer.DropsConnection)
        {
            context.Abort();
            return;
        }

        await answer.WriteToAsync(context.Response, context.RequestAborted).ConfigureAwait(false);
    }
}
