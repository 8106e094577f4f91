using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Lighthouse.Protocol;
using Lighthouse.Security;

namespace Lighthouse.Host.Cli;

/// <summary>
/// The files of <c>lighthouse certs</c>: where they go, what may be overwritten, and the CA read back for issuing.
/// Every refusal is a <see cref="CertificateInputException"/> naming the option or the file.
/// </summary>
internal static class CertificateFiles
{
    public const string AuthorityCertificate = "ca.crt";
    public const string AuthorityKey = "ca.key";

    /// <summary>The longest validity <c>--days</c> takes: a hundred years, well inside what X.509 dates can say.</summary>
    public const int MaxDays = 36500;

    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary><paramref name="days"/> as a validity, or <paramref name="fallback"/> when not given; refuses 0, negative and over <see cref="MaxDays"/>.</summary>
    public static TimeSpan Validity(int? days, TimeSpan fallback)
    {
        if (days is null) return fallback;
        if (days is < 1 or > MaxDays)
            throw new CertificateInputException($"--days must be between 1 and {MaxDays.ToString(CultureInfo.InvariantCulture)}, not {days.Value.ToString(CultureInfo.InvariantCulture)}");
        return TimeSpan.FromDays(days.Value);
    }

    /// <summary>
    /// The file name (without extension) for a certificate named <paramref name="name"/>: the name itself, which must
    /// follow the name rules and stay inside the output directory (no path separator, no leading dot, so no "..").
    /// </summary>
    public static string BaseName(string name)
    {
        if (NameRules.Problem(name, "--name") is { } problem) throw new CertificateInputException(problem);
        if (name.IndexOfAny(['/', '\\']) >= 0 || name.StartsWith('.') || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            throw new CertificateInputException(
                $"--name \"{name}\" cannot be a file name (it names NAME.crt and NAME.key in --out): no '/', '\\' or leading '.'");
        return name;
    }

    /// <summary>Creates <paramref name="directory"/> (owner-only on Unix, since keys go in it) unless it exists.</summary>
    public static void EnsureDirectory(string directory, string option)
    {
        if (string.IsNullOrWhiteSpace(directory)) throw new CertificateInputException($"{option} is empty");
        if (File.Exists(directory)) throw new CertificateInputException($"{option} {directory} is a file, not a directory");
        if (Directory.Exists(directory)) return;
        try
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(directory);
            else Directory.CreateDirectory(directory, OwnerOnlyDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CertificateInputException($"{option} {directory} cannot be created: {e.Message}", e);
        }
    }

    /// <summary>
    /// Refuses to write over any of <paramref name="paths"/> that exists, unless <paramref name="force"/>; never writes
    /// through a symbolic link (one planted where a key goes would send the key elsewhere). <paramref name="why"/> says
    /// what replacing costs.
    /// </summary>
    public static void RefuseToOverwrite(bool force, string why, params string[] paths)
    {
        foreach (var path in paths)
        {
            var file = new FileInfo(path);
            if (file.LinkTarget is not null)
                throw new CertificateInputException($"{path} is a symbolic link (to {file.LinkTarget}); remove it, certificates and keys are not written through links");
            if (Directory.Exists(path)) throw new CertificateInputException($"{path} is a directory");
            if (file.Exists && !force) throw new CertificateInputException($"{path} already exists; --force replaces it{why}");
        }
    }

    /// <summary>Refuses <paramref name="paths"/> that are the CA's own files in <paramref name="authority"/>: not even --force issues over the CA.</summary>
    public static void RefuseToReplaceAuthority(string authority, params string[] paths)
    {
        var own = new[] { AuthorityCertificate, AuthorityKey }.Select(file => Path.GetFullPath(Path.Combine(authority, file)));
        foreach (var path in paths)
        {
            if (own.Contains(Path.GetFullPath(path), OperatingSystem.IsLinux() ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase))
                throw new CertificateInputException($"{path} is the CA's own file: issue into another --out, or under another --name");
        }
    }

    /// <summary>Writes the key (owner-only) and then the certificate; a failure names the file.</summary>
    public static void Write(string certificatePath, string keyPath, X509Certificate2 certificate)
    {
        Writing(keyPath, () => PemFiles.WritePrivateKey(keyPath, certificate));
        Writing(certificatePath, () => PemFiles.WriteCertificate(certificatePath, certificate));
    }

    /// <summary>
    /// The CA in <paramref name="directory"/> (<c>ca.crt</c> with <c>ca.key</c>), checked for issuing: both files
    /// there and readable, the key the certificate's own, the certificate a CA that has not expired.
    /// </summary>
    public static X509Certificate2 LoadAuthority(string directory)
    {
        if (string.IsNullOrWhiteSpace(directory)) throw new CertificateInputException("--ca is empty");
        if (!Directory.Exists(directory))
            throw new CertificateInputException($"--ca {directory}: no such directory (make a CA with `lighthouse certs ca --out {directory}`)");
        var certificatePath = Path.Combine(directory, AuthorityCertificate);
        var keyPath = Path.Combine(directory, AuthorityKey);
        if (!File.Exists(certificatePath)) throw new CertificateInputException($"--ca {directory}: {certificatePath} does not exist (the CA certificate)");
        if (!File.Exists(keyPath)) throw new CertificateInputException($"--ca {directory}: {keyPath} does not exist (the CA's private key, which issuing needs)");

        using var certificate = Reading(certificatePath, "a certificate", () => X509CertificateLoader.LoadCertificateFromFile(certificatePath));
        if (certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { CertificateAuthority: true })
            throw new CertificateInputException($"--ca {directory}: {certificatePath} is not a certificate authority (it is \"{certificate.Subject}\")");
        if (certificate.NotAfter <= DateTime.Now)
            throw new CertificateInputException($"--ca {directory}: the CA expired on {Date(certificate.NotAfter)}; make a new one with `lighthouse certs ca` and issue every certificate again");
        return Reading(keyPath, $"the private key of {certificatePath}", () => X509Certificate2.CreateFromPemFile(certificatePath, keyPath));
    }

    /// <summary>A date as the commands print it: <c>2026-12-03</c> (UTC).</summary>
    public static string Date(DateTime time) => time.ToUniversalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static T Reading<T>(string path, string what, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (UnauthorizedAccessException e)
        {
            throw new CertificateInputException($"cannot read {path}: permission denied", e);
        }
        // A key that is not the certificate's own is an ArgumentException.
        catch (Exception e) when (e is CryptographicException or IOException or ArgumentException)
        {
            throw new CertificateInputException($"{path} cannot be read as {what}: {e.Message}", e);
        }
    }

    private static void Writing(string path, Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CertificateInputException($"cannot write {path}: {e.Message}", e);
        }
    }
}
