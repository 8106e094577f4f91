using Lighthouse.Client;

namespace Lighthouse.Actors.Tests.Client;

public sealed class LighthouseContactsTests
{
    [Theory]
    [InlineData("127.0.0.1:4053", "akka.tcp://lighthouse@127.0.0.1:4053/system/receptionist")]
    [InlineData(" scheduler.example:9999 ", "akka.tcp://lighthouse@scheduler.example:9999/system/receptionist")]
    [InlineData("localhost", "akka.tcp://lighthouse@localhost:4053/system/receptionist")]
    [InlineData("[::1]:4100", "akka.tcp://lighthouse@[::1]:4100/system/receptionist")]
    [InlineData("akka.tcp://lighthouse@10.0.0.5:4053", "akka.tcp://lighthouse@10.0.0.5:4053/system/receptionist")]
    [InlineData("akka.tcp://other@h:1/system/receptionist", "akka.tcp://other@h:1/system/receptionist")]
    public void Parses_what_users_type_into_a_receptionist_path(string host, string path) =>
        Assert.Equal(path, LighthouseContacts.Parse(host).ToString());

    [Theory]
    [InlineData("", "it is empty")]
    [InlineData("host:abc", "the port \"abc\" is not a number from 1 to 65535")]
    [InlineData("host:0", "the port \"0\" is not a number from 1 to 65535")]
    [InlineData("host:70000", "the port \"70000\" is not a number from 1 to 65535")]
    [InlineData(":4053", "the host name is empty")]
    [InlineData("::1", "an IPv6 address needs brackets")]
    [InlineData("[::1", "no closing ]")]
    [InlineData("a b:1", "\"a b\" is not a host name or address")]
    [InlineData("akka.tcp://nohost", "is not an actor path")]
    public void Refuses_a_bad_host_naming_it_and_why(string host, string why)
    {
        var error = Assert.Throws<FormatException>(() => LighthouseContacts.Parse(host));

        Assert.StartsWith($"host \"{host}\" is invalid: ", error.Message);
        Assert.Contains(why, error.Message);
    }

    [Fact]
    public void Describes_a_contact_as_host_and_port() =>
        Assert.Equal("[::1]:4100", LighthouseContacts.Describe(LighthouseContacts.Parse("[::1]:4100")));
}
