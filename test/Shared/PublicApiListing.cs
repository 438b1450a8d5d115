using System.Reflection;

namespace JoinMe.AspNetCore.Tests.Shared;

/// <summary>
/// Lists an assembly's public API, one type per line and one member per indented line, so that a snapshot test shows every
/// change to it in review. Compiled into each test project that guards a package's API.
/// </summary>
internal static class PublicApiListing
{
    public static string Describe(Assembly assembly)
    {
        const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var lines = new List<string>();
        foreach (var type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            lines.Add($"{Kind(type)} {type.FullName}{(type.BaseType is { } b && b != typeof(object) && b != typeof(Enum) ? " : " + b.Name : "")}");
            lines.AddRange(type.GetMembers(Declared)
                .Where(m => m switch
                {
                    MethodBase method => (method.IsPublic || method.IsFamily) && !method.IsSpecialName || method is ConstructorInfo { IsPublic: true },
                    PropertyInfo property => property.GetMethod is { IsPublic: true } || property.SetMethod is { IsPublic: true },
                    FieldInfo field => field.IsPublic && !field.IsSpecialName,
                    _ => false,
                })
                .Where(m => !m.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute)))
                .Select(m => "  " + m)
                .Order(StringComparer.Ordinal));
        }

        return string.Join("\n", lines) + "\n";
    }

    /// <summary>Fails with where to find the new listing when <paramref name="assembly"/>'s API differs from PublicApi.approved.txt.</summary>
    public static void AssertMatchesApproved(Assembly assembly)
    {
        var approvedPath = Path.Combine(AppContext.BaseDirectory, "PublicApi.approved.txt");
        var actual = Describe(assembly);
        var approved = File.ReadAllText(approvedPath).ReplaceLineEndings("\n");
        if (approved != actual)
        {
            var received = Path.Combine(AppContext.BaseDirectory, "PublicApi.received.txt");
            File.WriteAllText(received, actual);
            Assert.Fail($"The public API of {assembly.GetName().Name} changed. Review {received} and, if intended, copy it over PublicApi.approved.txt.");
        }
    }

    private static string Kind(Type type) =>
        type.IsEnum ? "enum" : type.IsValueType ? "struct" : type.IsInterface ? "interface" : type.IsAbstract && type.IsSealed ? "static class" : "class";
}
