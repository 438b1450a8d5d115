using Microsoft.Playwright;

namespace JoinMe.AspNetCore.BrowserTests;

/// <summary>
/// Debian's Chromium driven by Playwright (Playwright's own browser download cannot work here). Where no Chromium is installed the
/// tests are skipped locally, but under CI (CI=true) that is a failure: CI installs it.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    /// <summary>The browser, or <see langword="null"/> when there is none to drive.</summary>
    public IBrowser? Instance { get; private set; }

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            return;
        }

        // An expectation waits on what a page shows as long as an action may wait for its element (30 s), not Playwright's 5 s for
        // expectations: on a busy two-core machine Scalar took up to 7 s to render after its document arrived.
        Assertions.SetDefaultExpectTimeout(30_000);
        _playwright = await Playwright.CreateAsync();
        Instance = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        });
    }

    /// <summary>Returns the browser, or skips the test (failing it under CI) when there is none.</summary>
    public IBrowser Require()
    {
        if (Instance is not null)
        {
            return Instance;
        }

        var message = $"No Chromium at {ChromiumPath}: install it with 'apt-get install -y chromium' (.ci/run does).";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(message + " Under CI the browser test must run.");
        }

        Assert.Skip(message);
        return null!;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Instance is not null)
        {
            await Instance.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
