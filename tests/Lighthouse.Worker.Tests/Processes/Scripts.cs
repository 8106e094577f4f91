using System.Globalization;
using Lighthouse.Tests.Shared;

namespace Lighthouse.Worker.Tests.Processes;

/// <summary>A temporary directory of small scripts for process handlers, deleted with it; and what /proc says about processes.</summary>
internal sealed class Scripts : IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("lighthouse-exec-").FullName;

    /// <summary>Writes a /bin/sh script and answers the command that runs it.</summary>
    public string[] Shell(string body)
    {
        var path = Path.Combine(Directory, $"script-{Guid.NewGuid():N}.sh");
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        return ["/bin/sh", path];
    }

    public string PathOf(string name) => Path.Combine(Directory, name);

    /// <summary>A pid a script wrote to <paramref name="name"/> in the directory.</summary>
    public int Pid(string name) => int.Parse(File.ReadAllText(PathOf(name)).Trim(), CultureInfo.InvariantCulture);

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>
    /// Waits (bounded) until no process of <paramref name="group"/> runs, nor <paramref name="others"/>: a SIGKILL sent is
    /// certain death, but the kernel finishes it a moment after kill() returns.
    /// </summary>
    public static Task Gone(int group, params int[] others) => Eventually.Holds(
        () => Task.FromResult(Members(group).Count == 0 && !others.Any(Alive) && !Alive(group)),
        $"process group {group} and {string.Join(", ", others)} are gone",
        context: () => $"members: {string.Join(", ", Members(group))}");

    /// <summary>True while <paramref name="pid"/> is a process that still runs (a zombie waiting for its reaper does not).</summary>
    public static bool Alive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return State(stat) is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The running (not zombie) processes whose process group is <paramref name="group"/>.</summary>
    public static IReadOnlyList<int> Members(int group)
    {
        var members = new List<int>();
        foreach (var dir in System.IO.Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var fields = AfterName(File.ReadAllText(Path.Combine(dir, "stat")));
                // After the name: state, ppid, pgrp (fields 3, 4 and 5 of proc(5)).
                if (int.Parse(fields[2], CultureInfo.InvariantCulture) == group && fields[0] is not ("Z" or "X")) members.Add(pid);
            }
            catch (IOException)
            {
            }
        }
        return members;
    }

    /// <summary>Field <paramref name="number"/> (numbered from 1, as in proc(5)) of /proc/PID/stat.</summary>
    public static string StatField(int pid, int number) => AfterName(File.ReadAllText($"/proc/{pid}/stat"))[number - 3];

    private static char State(string stat) => AfterName(stat)[0][0];

    // The name (field 2) is in parentheses and may hold spaces: split after its last ')'.
    private static string[] AfterName(string stat) => stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
}
