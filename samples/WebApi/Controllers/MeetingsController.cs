using JoinMe.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace WebApi.Controllers;

/// <summary>Starts meetings; needs the <c>start_meeting</c> scope through the policy of the same name.</summary>
[ApiController]
[Route("api/meetings")]
public sealed class MeetingsController : ControllerBase
{
    /// <summary>Starts an ad-hoc meeting (canned data).</summary>
    [HttpPost("start")]
    [Authorize(Policy = JoinMeScopes.StartMeeting)]
    public IActionResult Start() => Ok(new
    {
        meetingId = 2001,
        presenterLink = "https://join.me/demo-presenter",
        viewerLink = "https://join.me/demo-viewer",
    });
}
