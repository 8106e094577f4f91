using Lighthouse.Host.Json;
using Lighthouse.Placement;

namespace Lighthouse.Host.Tests.Json;

public class ScenarioOutcomeJsonTests
{
    [Fact]
    public void Writes_assignments_resources_and_unplaced_in_the_outcomes_order()
    {
        var outcome = new ScenarioOutcome(
            [
                [KeyValuePair.Create("w2", (string?)"n2"), KeyValuePair.Create("w1", (string?)null)],
                [],
            ],
            [
                KeyValuePair.Create<string, IReadOnlyList<KeyValuePair<string, double>>>("n2",
                    [KeyValuePair.Create("mem", 0.1 + 0.2), KeyValuePair.Create("cpu", 3.0), KeyValuePair.Create("spiders", double.NegativeInfinity)]),
                KeyValuePair.Create<string, IReadOnlyList<KeyValuePair<string, double>>>("n1", []),
            ],
            []);

        Assert.Equal(
            """
            {
              "assignments": [
                {
                  "w2": "n2",
                  "w1": null
                },
                {}
              ],
              "final_resources": {
                "n2": {
                  "mem": 0.30000000000000004,
                  "cpu": 3,
                  "spiders": "-Infinity"
                },
                "n1": {}
              },
              "unplaced": {}
            }
            """.ReplaceLineEndings("\n"),
            ScenarioOutcomeJson.Format(outcome).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Explanations_keep_their_quotes_readable()
    {
        var why = new PlacementExplanation(3, [new RejectionCount(RejectionReason.MissingKey, "gpu", 3)]);
        var outcome = new ScenarioOutcome([[KeyValuePair.Create("w1", (string?)null)]], [], [KeyValuePair.Create("w1", why)]);

        var json = ScenarioOutcomeJson.Format(outcome);

        Assert.Contains($"\"w1\": \"{why.ToString().Replace("\"", "\\\"")}\"", json);
        Assert.Contains("\\\"gpu\\\"", json);
        Assert.DoesNotContain("\\u0022", json);
    }
}
