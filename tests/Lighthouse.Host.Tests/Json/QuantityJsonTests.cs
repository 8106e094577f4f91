using System.Text;
using System.Text.Json;
using FsCheck.Xunit;
using Lighthouse.Host.Json;

namespace Lighthouse.Host.Tests.Json;

public class QuantityJsonTests
{
    private const string Node = "node \"n1\" (nodes[0])";

    [Theory]
    [InlineData("3", 3.0)]
    [InlineData("0.1", 0.1)]
    [InlineData("-2.5", -2.5)]
    [InlineData("0", 0.0)]
    [InlineData("1e-3", 0.001)]
    [InlineData("\"Infinity\"", double.PositiveInfinity)]
    [InlineData("\"-Infinity\"", double.NegativeInfinity)]
    public void Reads_numbers_and_the_two_infinities(string json, double expected)
        => Assert.Equal(expected, QuantityJson.Read(JsonElement.Parse(json), Node, "resource \"cpu\""));

    [Theory]
    [InlineData("\"NaN\"")]
    [InlineData("\"abc\"")]
    [InlineData("\"infinity\"")]
    [InlineData("\"3\"")]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("[1]")]
    [InlineData("{}")]
    public void Refuses_anything_else_naming_the_item_the_key_and_the_value(string json)
    {
        var error = Assert.Throws<JsonModelException>(() => QuantityJson.Read(JsonElement.Parse(json), Node, "resource \"cpu\""));
        Assert.StartsWith(Node + ": resource \"cpu\" is ", error.Message);
        Assert.Contains("not a quantity", error.Message);
        Assert.Equal(Node, error.Location);
        if (!json.StartsWith('[') && !json.StartsWith('{'))
            Assert.Contains(json, error.Message);
    }

    [Theory]
    [InlineData("1e400", "\"Infinity\"")]
    [InlineData("-1e400", "\"-Infinity\"")]
    public void Refuses_a_number_beyond_double_rather_than_reading_it_as_infinity(string json, string suggestion)
    {
        var error = Assert.Throws<JsonModelException>(() => QuantityJson.Read(JsonElement.Parse(json), Node, "resource \"cpu\""));
        Assert.Contains($"resource \"cpu\" is {json}", error.Message);
        Assert.Contains(suggestion, error.Message);
    }

    [Theory]
    [InlineData(3.0, "3")]
    [InlineData(0.1 + 0.2, "0.30000000000000004")]
    [InlineData(-0.5, "-0.5")]
    [InlineData(double.PositiveInfinity, "\"Infinity\"")]
    [InlineData(double.NegativeInfinity, "\"-Infinity\"")]
    public void Writes_finite_quantities_as_round_trip_numbers_and_infinities_as_strings(double quantity, string expected)
        => Assert.Equal(expected, Write(quantity));

    [Fact]
    public void Refuses_to_write_NaN()
        => Assert.Throws<ArgumentException>(() => Write(double.NaN));

    [Property]
    public bool Reading_what_was_written_gives_the_same_double_bit_for_bit(double quantity)
        => double.IsNaN(quantity)
           || BitConverter.DoubleToInt64Bits(QuantityJson.Read(JsonElement.Parse(Write(quantity)), Node, "resource \"cpu\""))
              == BitConverter.DoubleToInt64Bits(quantity);

    private static string Write(double quantity)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
            QuantityJson.Write(writer, quantity);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
