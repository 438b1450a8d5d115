using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace JoinMe.AspNetCore.Emulator;

/// <summary>
/// Reads <see cref="JoinMeEmulatorOptions"/> from the configuration section <c>JoinMeEmulator</c>, before any code configures
/// them. A value that cannot be read is reported by the options' validation, naming the key.
/// </summary>
/// <param name="configuration">The app's configuration; <see langword="null"/> in a bare service provider.</param>
internal sealed class JoinMeEmulatorConfigureOptions(IConfiguration? configuration = null) : IConfigureOptions<JoinMeEmulatorOptions>
{
    /// <inheritdoc />
    public void Configure(JoinMeEmulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var section = configuration?.GetSection(JoinMeEmulatorOptions.ConfigurationSection);
        if (section is null)
        {
            return;
        }

        if (section[nameof(JoinMeEmulatorOptions.UnsafeAllowOutsideDevelopment)] is { } optIn)
        {
            if (bool.TryParse(optIn, out var value))
            {
                options.UnsafeAllowOutsideDevelopment = value;
            }
            else
            {
                options.ConfigurationErrors.Add($"{EmulatorSafety.OptInKey} is '{optIn}'; it must be true or false.");
            }
        }
    }
}
