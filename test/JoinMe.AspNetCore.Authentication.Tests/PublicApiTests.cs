using JoinMe.AspNetCore.Tests.Shared;

namespace JoinMe.AspNetCore.Authentication.Tests;

/// <summary>Every change to the package's public API shows in review, as a change to PublicApi.approved.txt.</summary>
public sealed class PublicApiTests
{
    [Fact]
    public void Public_api_matches_the_approved_listing() => PublicApiListing.AssertMatchesApproved(typeof(JoinMeOptions).Assembly);
}
