using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Lighthouse.Security;

/// <summary>
/// Who a Lighthouse certificate says its holder is: a <paramref name="Role"/>, a <paramref name="Name"/> (a worker's
/// node name, a host's or client's own name) and, for a client, the <paramref name="Users"/> it may act for.
/// Carried in one non-critical extension (<see cref="ExtensionOid"/>) whose value is a DER SEQUENCE of UTF8Strings:
/// role, name, then each user. The subject says the same for people (<c>CN=name, OU=role</c>), but only the
/// extension counts: a subject is easy to get wrong by hand, the extension only comes from <c>lighthouse certs</c>.
/// </summary>
public sealed record CertificateIdentity(LighthouseRole Role, string Name, IReadOnlyList<string> Users)
{
    /// <summary>
    /// The extension's object identifier: a UUID-derived OID (arc 2.25, ITU-T X.667), which needs no registration
    /// and cannot collide with anyone else's.
    /// </summary>
    public const string ExtensionOid = "2.25.166924916512931437426355447346420129357";

    /// <summary>Every user (admin and host) rather than only <see cref="Users"/>.</summary>
    public bool ActsForEveryUser => Role is LighthouseRole.Admin or LighthouseRole.Host;

    /// <summary>May this identity act for <paramref name="user"/>?</summary>
    public bool MayActFor(string user) => ActsForEveryUser || (Role == LighthouseRole.Client && Users.Contains(user, StringComparer.Ordinal));

    /// <summary>The extension that carries this identity.</summary>
    public X509Extension ToExtension()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteCharacterString(UniversalTagNumber.UTF8String, Role.Name());
            writer.WriteCharacterString(UniversalTagNumber.UTF8String, Name);
            foreach (var user in Users) writer.WriteCharacterString(UniversalTagNumber.UTF8String, user);
        }
        return new X509Extension(new Oid(ExtensionOid), writer.Encode(), critical: false);
    }

    /// <summary>The identity in <paramref name="certificate"/>, or null (with <paramref name="problem"/>) when it has none or a damaged one.</summary>
    public static CertificateIdentity? Read(X509Certificate2 certificate, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var extension = certificate.Extensions[ExtensionOid];
        if (extension is null)
        {
            problem = $"certificate \"{certificate.Subject}\" carries no Lighthouse identity (not made by `lighthouse certs issue`)";
            return null;
        }
        try
        {
            var reader = new AsnReader(extension.RawData, AsnEncodingRules.DER);
            var sequence = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            var roleText = sequence.ReadCharacterString(UniversalTagNumber.UTF8String);
            var name = sequence.ReadCharacterString(UniversalTagNumber.UTF8String);
            var users = new List<string>();
            while (sequence.HasData) users.Add(sequence.ReadCharacterString(UniversalTagNumber.UTF8String));
            if (!LighthouseRoles.TryParse(roleText, out var role))
            {
                problem = $"certificate \"{certificate.Subject}\" names an unknown role \"{roleText}\"";
                return null;
            }
            problem = null;
            return new CertificateIdentity(role, name, users);
        }
        catch (AsnContentException damaged)
        {
            problem = $"certificate \"{certificate.Subject}\" has a damaged Lighthouse identity: {damaged.Message}";
            return null;
        }
    }

    /// <summary>One line for logs and errors: <c>worker "w1"</c>, <c>client "ci" for alice, bob</c>.</summary>
    public override string ToString() => Role == LighthouseRole.Client
        ? $"client \"{Name}\" for {(Users.Count == 0 ? "no user" : string.Join(", ", Users))}"
        : $"{Role.Name()} \"{Name}\"";
}
