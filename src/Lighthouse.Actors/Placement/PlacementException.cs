namespace Lighthouse.Placement;

/// <summary>Bad input to the placement engine (duplicate names, NaN, unknown strategy, …). The message names the item.</summary>
public sealed class PlacementException(string message) : ArgumentException(message);
