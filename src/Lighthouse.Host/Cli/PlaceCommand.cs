using System.CommandLine;
using Lighthouse.Placement;
using Lighthouse.Host.Json;

namespace Lighthouse.Host.Cli;

/// <summary>
/// <c>lighthouse place FILE</c>: runs a scenario through the placement engine and prints the outcome as JSON.
/// Unplaced workloads are a result, not a failure (exit 0, with their explanations); a scenario the model or the
/// engine refuses is bad input (exit 2, one message on stderr, nothing on stdout).
/// </summary>
public static class PlaceCommand
{
    private const string Description = "Place a scenario's workloads on its nodes and print the outcome as JSON.";

    /// <summary>The scenario and output formats, shown after <c>lighthouse place --help</c>.</summary>
    public const string Details =
        """
        A scenario is a JSON object:
          {"strategy": "prioritized" | "round-robin" | "bin-pack",
           "rubric": {"cpu": 1, "mem": 0.5},          bin-pack only: key -> weight
           "nodes": [{"name": "n1", "resources": {"cpu": 4, "spiders": "-Infinity"}}],
           "batches": [[{"name": "w1", "requirements": {"cpu": 1},
                         "immunities": ["spiders"], "aversion_groups": ["g"]}]],
           "description": "what the scenario shows"}  optional
        Quantities are JSON numbers or the strings "Infinity" and "-Infinity". A workload needs only its name.
        The batches are placed in order on one distributor. Examples: config/examples/*.json.

        The outcome, on stdout:
          {"assignments": [{"w1": "n1", "w2": null}],     one object per batch, every workload in input order
           "final_resources": {"n1": {"cpu": 3, ...}},     every node after all batches
           "unplaced": {"w2": "0/1 nodes fit: ..."}}       every workload never placed, and why

        Exit codes: 0 placed (unplaced workloads are part of the outcome), 2 bad input: a missing or unreadable
        file, invalid JSON, or a scenario the placement model refuses (one message on stderr, nothing on stdout).
        """;

    public static Command Create(TextReader stdin)
    {
        var scenario = new Argument<string>("scenario")
        {
            Description = "The scenario file, or - to read it from standard input.",
        };
        var command = new Command("place", Description) { scenario };
        command.SetAction(parsed => Execute(
            parsed.GetValue(scenario)!,
            stdin,
            parsed.InvocationConfiguration.Output,
            parsed.InvocationConfiguration.Error));
        return command;
    }

    public static int Execute(string source, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        var label = source == InputText.StandardInput ? "stdin" : source;
        string output;
        try
        {
            var scenario = ScenarioJson.Parse(InputText.Read(source, stdin));
            output = ScenarioOutcomeJson.Format(scenario.Run());
        }
        catch (InputTextException unreadable)
        {
            return Fail(stderr, unreadable.Message);
        }
        catch (Exception refused) when (refused is JsonModelException or PlacementException)
        {
            return Fail(stderr, $"{label}: {refused.Message}");
        }
        // Written only once everything succeeded, so a refused scenario leaves stdout empty.
        stdout.WriteLine(output);
        return ExitCodes.Success;
    }

    private static int Fail(TextWriter stderr, string message)
    {
        stderr.WriteLine($"{LighthouseCommandLine.Name} place: {message}");
        return ExitCodes.BadInput;
    }
}
