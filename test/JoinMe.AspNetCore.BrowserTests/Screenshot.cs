using Microsoft.Playwright;

namespace JoinMe.AspNetCore.BrowserTests;

/// <summary>
/// Screenshots kept in the repository for its documentation. A new one replaces the file only when it shows something else, so that a
/// test run leaves no changed file behind for what differs on every run: the server's port, a response's duration.
/// </summary>
internal static class Screenshot
{
    /// <summary>
    /// The share of 16x16 tiles that may hold a visibly different pixel before the picture counts as changed. Two runs of the same
    /// screen differ in 15 to 40 of the 4,000 tiles of 1280x800 (the port, and what it shifts); another response shown, in over 600.
    /// </summary>
    private const double ChangedTileShare = 0.05;

    /// <summary>Takes a screenshot of <paramref name="page"/>'s viewport and writes it to <paramref name="path"/> unless the file there shows the same.</summary>
    public static async Task SaveAsync(IPage page, string path)
    {
        var png = await page.ScreenshotAsync(new() { Animations = ScreenshotAnimations.Disabled, Caret = ScreenshotCaret.Hide });
        if (File.Exists(path) && await ChangedShareAsync(page.Context, png, await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken)) <= ChangedTileShare)
        {
            return;
        }

        await File.WriteAllBytesAsync(path, png, TestContext.Current.CancellationToken);
    }

    // The browser decodes both pictures (.NET has no PNG decoder of its own) and returns the share of tiles with a visibly different
    // pixel: 1 when the sizes differ or a file is no picture.
    private static async Task<double> ChangedShareAsync(IBrowserContext context, byte[] first, byte[] second)
    {
        var page = await context.NewPageAsync();
        try
        {
            return await page.EvaluateAsync<double>(
                """
                async ([first, second]) => {
                  const decode = (base64) => fetch('data:image/png;base64,' + base64).then((r) => r.blob()).then(createImageBitmap).catch(() => null);
                  const [a, b] = await Promise.all([decode(first), decode(second)]);
                  if (!a || !b || a.width !== b.width || a.height !== b.height) {
                    return 1;
                  }
                  const pixels = (image) => {
                    const canvas = new OffscreenCanvas(image.width, image.height).getContext('2d');
                    canvas.drawImage(image, 0, 0);
                    return canvas.getImageData(0, 0, image.width, image.height).data;
                  };
                  const [p, q] = [pixels(a), pixels(b)];
                  const tile = 16, columns = Math.ceil(a.width / tile), rows = Math.ceil(a.height / tile);
                  const changed = new Set();
                  for (let i = 0; i < p.length; i += 4) {
                    if (Math.abs(p[i] - q[i]) + Math.abs(p[i + 1] - q[i + 1]) + Math.abs(p[i + 2] - q[i + 2]) > 48) {
                      const pixel = i / 4;
                      changed.add(Math.floor(pixel % a.width / tile) + Math.floor(pixel / a.width / tile) * columns);
                    }
                  }
                  return changed.size / (columns * rows);
                }
                """,
                new[] { Convert.ToBase64String(first), Convert.ToBase64String(second) });
        }
        finally
        {
            await page.CloseAsync();
        }
    }
}
