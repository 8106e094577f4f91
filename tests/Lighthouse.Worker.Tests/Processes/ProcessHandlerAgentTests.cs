using Akka.Actor;
using Lighthouse.Protocol;
using Lighthouse.Worker.Agent;
using Inbox = Lighthouse.Worker.Tests.Agent.Inbox;
using Xunit.Abstractions;

namespace Lighthouse.Worker.Tests.Processes;

/// <summary>Process handlers behind the worker agent: failures are reported and the worker keeps serving; a stopping system stops its programs.</summary>
public sealed class ProcessHandlerAgentTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit("akka.loglevel = WARNING", output), IDisposable
{
    private readonly Scripts _scripts = new();

    void IDisposable.Dispose()
    {
        _scripts.Dispose();
        Dispose();
    }

    private (IActorRef Agent, Inbox Contact) Registered(ActorSystem system, Action<WorkerHubOptions> handlers)
    {
        var hub = WorkerHub.Create(o =>
        {
            o.NodeName = "w1";
            o.Slots = 2;
            o.AddBuiltInHandlers();
            handlers(o);
        });
        var scheduler = CreateTestProbe(system);
        var agent = hub.Start(system, scheduler.Ref, "agent-" + Guid.NewGuid().ToString("N"));
        scheduler.ExpectMsg<RegisterWorker>(Inbox.Wait);
        var contact = new Inbox(CreateTestProbe(system));
        contact.Send(agent, new WorkerRegistered("w1"));
        return (agent, contact);
    }

    private static StartTask Start(string id, string name, string payload = "{}") => new(id, name, payload, "alice", 0, 1);

    [Theory]
    [InlineData("echo oops >&2; exit 4", "exit code 4: oops")]
    [InlineData("kill -KILL $$", "killed by signal 9 (SIGKILL)")]
    [InlineData("echo 'not json'", "exit code 0, but standard output is not JSON")]
    [InlineData("yes", "the result on standard output is over 1000 bytes")]
    public void A_failing_program_fails_its_task_clearly_and_the_worker_keeps_serving(string script, string error)
    {
        var (agent, contact) = Registered(Sys, o => o.Exec("render", _scripts.Shell(script), p =>
        {
            p.MaxResultBytes = 1000;
            p.StopGrace = TimeSpan.FromMilliseconds(300);
        }).Exec("good", _scripts.Shell("cat")));
        contact.Send(agent, Start("t1", "render"));
        var failure = contact.Expect<ReportFailure>();
        Assert.StartsWith(error, failure.Error);

        contact.Send(agent, Start("t2", "good", "[1, 2]"));
        Assert.Equal(new ReportSuccess("t2", "[1, 2]"), contact.Expect<ReportSuccess>());
    }

    [Fact]
    public async Task A_terminating_system_stops_the_programs_of_its_running_tasks()
    {
        var system = ActorSystem.Create("exec-stop", "akka.loglevel = WARNING");
        try
        {
            var script = _scripts.Shell("echo $$ > leader.pid; (trap '' TERM; exec sleep 300) & echo $! > grandchild.pid; wait");
            var (agent, contact) = Registered(system, o => o.Exec("render", script, p =>
            {
                p.WorkingDirectory = _scripts.Directory;
                p.StopGrace = TimeSpan.FromMilliseconds(300);
            }));
            contact.Send(agent, Start("t1", "render"));
            await Lighthouse.Tests.Shared.Eventually.Holds(
                () => Task.FromResult(File.Exists(_scripts.PathOf("grandchild.pid")) && File.ReadAllText(_scripts.PathOf("grandchild.pid")).EndsWith('\n')),
                "the script wrote its pids");
            var (leader, grandchild) = (_scripts.Pid("leader.pid"), _scripts.Pid("grandchild.pid"));

            await system.Terminate().WaitAsync(Lighthouse.Tests.Shared.Eventually.Bound);
            await Scripts.Gone(leader, grandchild);
        }
        finally
        {
            await system.Terminate();
        }
    }
}
