using Akka.Actor;
using Lighthouse.Protocol;

namespace Lighthouse.Scheduling;

/// <summary>
/// The scheduler's link to one worker node's agent. It answers the registration (so the agent talks to
/// it from then on), passes starts and cancels to the agent, passes the agent's reports up with the
/// node's name, and watches the agent: when it terminates, the node is lost. What the node has and runs
/// is kept in <see cref="SchedulerState"/> with everything else, so that it changes only through events.
/// </summary>
internal sealed class NodeStateActor : ReceiveActor
{
    private readonly string _node;
    private readonly IActorRef _agent;

    public NodeStateActor(string node, IActorRef agent)
    {
        _node = node;
        _agent = agent;
        Receive<StartTask>(start => _agent.Tell(start));
        Receive<CancelRunningTask>(cancel => _agent.Tell(cancel));
        Receive<AnnounceRegistration>(_ => _agent.Tell(new WorkerRegistered(_node)));
        Receive<IWorkerReport>(report => Context.Parent.Forward(new NodeReport(_node, report)));
        Receive<Terminated>(terminated => terminated.ActorRef.Equals(_agent), _ => Context.Parent.Tell(new AgentTerminated(_node, _agent)));
    }

    public static Props Props(string node, IActorRef agent) => Akka.Actor.Props.Create(() => new NodeStateActor(node, agent));

    protected override void PreStart()
    {
        Context.Watch(_agent);
        _agent.Tell(new WorkerRegistered(_node));
    }
}
