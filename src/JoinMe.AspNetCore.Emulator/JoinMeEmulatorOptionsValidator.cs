using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace JoinMe.AspNetCore.Emulator;

/// <summary>
/// Validates the app's <see cref="JoinMeEmulatorOptions"/> at start-up, with a message per bad setting, and stops an app
/// that would run the emulator outside Development without the opt-in.
/// </summary>
/// <param name="environment">The host's environment; <see langword="null"/> in a bare service provider, which serves nothing.</param>
internal sealed class JoinMeEmulatorOptionsValidator(IHostEnvironment? environment = null) : IValidateOptions<JoinMeEmulatorOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, JoinMeEmulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (EmulatorSafety.RefuseEnvironment(environment, options.UnsafeAllowOutsideDevelopment) is { } refusal)
        {
            errors.Insert(0, refusal);
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
