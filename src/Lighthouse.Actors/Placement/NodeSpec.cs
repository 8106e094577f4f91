namespace Lighthouse.Placement;

/// <summary>A node as declared: a unique name and its resources (name → quantity; tags are 0, wards -Infinity).</summary>
public sealed record NodeSpec(string Name, IReadOnlyDictionary<string, double> Resources);
