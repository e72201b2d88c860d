using System.Text.Json;
using System.Text.Json.Serialization;

namespace BackdoorKit;

/// <summary>The JSON conventions of every BackdoorKit record: camelCase names, enums as camelCase strings.</summary>
public static class BackdoorKitJson
{
    /// <summary>Gets indented options for files people read.</summary>
    public static JsonSerializerOptions Options { get; } = Create(indented: true);

    /// <summary>Gets compact options for one-line records and hashing.</summary>
    public static JsonSerializerOptions Compact { get; } = Create(indented: false);

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = indented,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
