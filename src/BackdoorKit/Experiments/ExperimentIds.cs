using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BackdoorKit.Experiments;

/// <summary>Computes stable experiment ids from the canonical JSON of a spec (object keys sorted, nulls dropped).</summary>
public static class ExperimentIds
{
    /// <summary>Gets the canonical JSON of a spec: what its id hashes.</summary>
    /// <param name="spec">The spec.</param>
    /// <returns>Compact JSON with sorted keys and no null values.</returns>
    public static string CanonicalJson(ExperimentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        JsonNode node = JsonSerializer.SerializeToNode(spec, BackdoorKitJson.Options)!;
        return Canonicalize(node)!.ToJsonString(BackdoorKitJson.Compact);
    }

    /// <summary>Computes a spec's id.</summary>
    /// <param name="spec">The spec.</param>
    /// <returns>16 lower-case hex digits.</returns>
    public static string Compute(ExperimentSpec spec)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalJson(spec)));
        return Convert.ToHexStringLower(hash.AsSpan(0, 8));
    }

    private static JsonNode? Canonicalize(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj
            .Where(p => p.Value is not null)
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Canonicalize(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Canonicalize).ToArray()),
        null => null,
        _ => node.DeepClone(),
    };
}
