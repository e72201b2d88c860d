using System.Text.Json;
using System.Text.Json.Serialization;

namespace BackdoorKit;

/// <summary>
/// The JSON conventions of every BackdoorKit record: camelCase names, enums as camelCase strings. Reading with
/// <see cref="Options"/> and <see cref="Compact"/> skips keys no member maps, so records written by older or newer
/// versions (results in a store) keep loading; <see cref="Strict"/> rejects them, for files people write by hand.
/// </summary>
public static class BackdoorKitJson
{
    /// <summary>Gets indented options for files people read.</summary>
    public static JsonSerializerOptions Options { get; } = Create(indented: true, strict: false);

    /// <summary>Gets compact options for one-line records and hashing.</summary>
    public static JsonSerializerOptions Compact { get; } = Create(indented: false, strict: false);

    /// <summary>
    /// Gets <see cref="Options"/> that also reject a key no member maps (<see cref="JsonUnmappedMemberHandling.Disallow"/>),
    /// so a misspelled setting fails instead of silently running its default; experiment matrices are read with these.
    /// </summary>
    public static JsonSerializerOptions Strict { get; } = Create(indented: true, strict: true);

    private static JsonSerializerOptions Create(bool indented, bool strict)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = indented,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            UnmappedMemberHandling = strict ? JsonUnmappedMemberHandling.Disallow : JsonUnmappedMemberHandling.Skip,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
