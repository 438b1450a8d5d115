using Microsoft.AspNetCore.Mvc;

namespace JoinMe.AspNetCore.Authentication.OpenApi.Tests;

/// <summary>Controller actions of <see cref="EveryForm"/>, mapped with <c>MapControllers().RequireAuthorization()</c>.</summary>
[ApiController]
[Route("controller")]
public sealed class EveryFormController : ControllerBase
{
    [HttpGet("attribute")]
    [RequireScope(JoinMeScopes.Provisioning)]
    public IActionResult Attribute() => Ok();

    [HttpGet("named-policy")]
    [Authorize(Policy = JoinMeScopes.Scheduler)]
    public IActionResult NamedPolicy() => Ok();

    [HttpGet("convention")]
    public IActionResult Convention() => Ok();

    [HttpGet("anonymous")]
    [AllowAnonymous]
    public IActionResult Anonymous() => Ok();
}

/// <summary>A controller whose own scope adds up with its actions'.</summary>
[ApiController]
[Route("scoped-controller")]
[RequireScope(JoinMeScopes.UserInfo)]
public sealed class ScopedController : ControllerBase
{
    [HttpGet("action")]
    [RequireScope(JoinMeScopes.Scheduler)]
    public IActionResult Action() => Ok();
}
