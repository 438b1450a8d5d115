using Microsoft.Extensions.Options;

namespace JoinMe.AspNetCore.Emulator;

/// <summary>
/// Validates <see cref="JoinMeEmulatorOptions"/> at start-up, with a message per bad setting.
/// </summary>
internal sealed class JoinMeEmulatorOptionsValidator : IValidateOptions<JoinMeEmulatorOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, JoinMeEmulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
