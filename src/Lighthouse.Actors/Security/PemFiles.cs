using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Lighthouse.Security;

/// <summary>Writes certificates and their keys as PEM files; a key file is readable by its owner only.</summary>
public static class PemFiles
{
    /// <summary>Writes <paramref name="certificate"/> (without key) to <paramref name="path"/>.</summary>
    public static void WriteCertificate(string path, X509Certificate2 certificate) =>
        File.WriteAllText(path, certificate.ExportCertificatePem() + "\n");

    /// <summary>
    /// Writes the private key of <paramref name="certificate"/> to <paramref name="path"/> (PKCS#8 PEM), creating the
    /// file with mode 0600 on Unix before any byte is written, so the key is never readable by others even briefly.
    /// </summary>
    public static void WritePrivateKey(string path, X509Certificate2 certificate)
    {
        using var key = (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey() ?? certificate.GetRSAPrivateKey()
            ?? throw new ArgumentException($"certificate \"{certificate.Subject}\" has no private key to write", nameof(certificate));
        var text = key.ExportPkcs8PrivateKeyPem() + "\n";
        var ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        // An existing file keeps its mode on create: tighten it before the key goes in.
        if (!OperatingSystem.IsWindows() && File.Exists(path)) File.SetUnixFileMode(path, ownerOnly);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = ownerOnly;
        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(text);
    }
}
