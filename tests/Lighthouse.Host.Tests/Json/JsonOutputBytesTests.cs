using Lighthouse.Host.Json;
using Lighthouse.Protocol;

namespace Lighthouse.Host.Tests.Json;

/// <summary>
/// The JSON of <c>lighthouse … --json</c> and of the HTTP API, pinned byte for byte: scripts parse it, so a change of
/// spacing, key order or number format is a change of interface.
/// </summary>
public sealed class JsonOutputBytesTests
{
    [Fact]
    public void The_status_object_of_a_succeeded_task_keeps_its_result_json_and_non_ascii_text() => Assert.Equal(
            """"
            {
              "id": "task-7",
              "name": "render",
              "user": "zoë",
              "priority": -2,
              "state": "succeeded",
              "progress": 100,
              "result": {
                "é": [
                  1e300,
                  null,
                  true
                ],
                "q": "say \"hi\""
              },
              "error": null,
              "node": "n1",
              "attempts": 1,
              "pending_reason": null,
              "waits_for_capacity": null,
              "submitted_at": "2025-01-31T09:30:00.125Z",
              "started_at": "2025-01-31T09:30:01.125Z",
              "finished_at": "2025-01-31T09:30:02.625Z",
              "retry": null,
              "timeout_ms": null,
              "not_before": null,
              "next_attempt_at": null,
              "retries": 0,
              "attempt_errors": [],
              "after": [],
              "dependents": [],
              "concurrency_key": null
            }
            """",
            TaskInfoJson.Format(OutputSamples.Succeeded));

    [Fact]
    public void The_status_object_of_a_queued_task_has_nulls_and_its_pending_reason() => Assert.Equal(
            """"
            {
              "id": "task-8",
              "name": "gpu",
              "user": "alice",
              "priority": 5,
              "state": "queued",
              "progress": 0,
              "result": null,
              "error": null,
              "node": null,
              "attempts": 0,
              "pending_reason": "0/1 nodes fit: 1 lack \"gpu\"",
              "waits_for_capacity": false,
              "submitted_at": "2025-01-31T09:30:00.125Z",
              "started_at": null,
              "finished_at": null,
              "retry": null,
              "timeout_ms": null,
              "not_before": null,
              "next_attempt_at": null,
              "retries": 0,
              "attempt_errors": [],
              "after": [],
              "dependents": [],
              "concurrency_key": null
            }
            """",
            TaskInfoJson.Format(OutputSamples.Queued));

    [Fact]
    public void The_status_object_keeps_a_result_that_is_not_json_as_a_string() => Assert.Equal(
            """"
            {
              "id": "task-9",
              "name": "sleep",
              "user": "bob",
              "priority": 0,
              "state": "running",
              "progress": 42.5,
              "result": "not json",
              "error": "an <error> & more",
              "node": "n2",
              "attempts": 2,
              "pending_reason": null,
              "waits_for_capacity": true,
              "submitted_at": "2025-01-31T09:30:00.125Z",
              "started_at": "2025-01-31T09:30:00.132Z",
              "finished_at": null,
              "retry": null,
              "timeout_ms": null,
              "not_before": null,
              "next_attempt_at": null,
              "retries": 0,
              "attempt_errors": [],
              "after": [],
              "dependents": [],
              "concurrency_key": null
            }
            """",
            TaskInfoJson.Format(OutputSamples.Running));

    [Fact]
    public void Nodes_spell_infinities_as_strings_and_sort_quantities_by_name() => Assert.Equal(
            """"
            {
              "nodes": [
                {
                  "name": "n1",
                  "state": "reachable",
                  "slots": 4,
                  "free_slots": 3,
                  "running_tasks": [
                    "task-9"
                  ],
                  "task_names": [
                    "echo",
                    "sleep"
                  ],
                  "priorities": {
                    "min": 0,
                    "max": 9
                  },
                  "capacity": {
                    "cpu": 0.30000000000000004,
                    "disk": "Infinity",
                    "slots": 4,
                    "spiders": "-Infinity",
                    "task:echo": 0
                  },
                  "free": {
                    "cpu": 0.1,
                    "disk": "Infinity",
                    "slots": 3,
                    "spiders": "-Infinity",
                    "task:echo": 0
                  },
                  "registered_at": "2025-01-31T09:30:00.125Z"
                },
                {
                  "name": "n2",
                  "state": "unreachable",
                  "slots": 1,
                  "free_slots": 1,
                  "running_tasks": [],
                  "task_names": [],
                  "priorities": {
                    "min": -2147483648,
                    "max": 2147483647
                  },
                  "capacity": {},
                  "free": {},
                  "registered_at": "2025-01-30T09:30:00.125Z"
                }
              ]
            }
            """",
            NodesJson.Format(OutputSamples.Nodes));

    [Fact]
    public void No_nodes_is_an_empty_array() => Assert.Equal(
            """"
            {
              "nodes": []
            }
            """",
            NodesJson.Format(new NodesView([])));

    [Fact]
    public void Queues_count_by_priority_in_priority_order() => Assert.Equal(
            """"
            {
              "queued": 3,
              "running": 1,
              "queued_by_priority": {
                "-1": 2,
                "5": 1
              },
              "users": [
                {
                  "user": "alice",
                  "queued": 2,
                  "running": 1,
                  "queued_by_priority": {
                    "-1": 1,
                    "5": 1
                  }
                },
                {
                  "user": "zoë",
                  "queued": 1,
                  "running": 0,
                  "queued_by_priority": {
                    "-1": 1
                  }
                }
              ]
            }
            """",
            QueuesJson.Format(OutputSamples.Queues));

    [Fact]
    public void A_cancelled_task() => Assert.Equal(
            """"
            {
              "id": "task-1",
              "outcome": "cancelled",
              "node": null,
              "state": null
            }
            """",
            CancelResultJson.Format(OutputSamples.CancelResults[0]));

    [Fact]
    public void A_cancel_pending_on_its_node() => Assert.Equal(
            """"
            {
              "id": "task-2",
              "outcome": "pending",
              "node": "n1",
              "state": null
            }
            """",
            CancelResultJson.Format(OutputSamples.CancelResults[1]));

    [Fact]
    public void A_cancel_of_a_task_that_had_failed() => Assert.Equal(
            """"
            {
              "id": "task-3",
              "outcome": "already_finished",
              "node": null,
              "state": "failed"
            }
            """",
            CancelResultJson.Format(OutputSamples.CancelResults[2]));

    [Fact]
    public void A_cancel_of_a_task_that_had_finished_somehow() => Assert.Equal(
            """"
            {
              "id": "task-4",
              "outcome": "already_finished",
              "node": null,
              "state": null
            }
            """",
            CancelResultJson.Format(OutputSamples.CancelResults[3]));

    [Fact]
    public void A_submitted_task_id() => Assert.Equal(
            """"
            {
              "id": "task-7"
            }
            """",
            TaskIdJson.Format("task-7"));

    [Fact]
    public void Api_task() => Assert.Equal(
            """"
            {"id":"task-9","name":"sleep","user":"bob","priority":0,"state":"running","progress":42.5,"result":"not json","error":"an <error> & more","node":"n2","attempts":2,"pending_reason":null,"waits_for_capacity":true,"submitted_at":"2025-01-31T09:30:00.125Z","started_at":"2025-01-31T09:30:00.132Z","finished_at":null,"retry":null,"timeout_ms":null,"not_before":null,"next_attempt_at":null,"retries":0,"attempt_errors":[],"after":[],"dependents":[],"concurrency_key":null}
            """",
            OutputSamples.Compact(w => TaskInfoJson.Write(w, OutputSamples.Running)));

    [Fact]
    public void Api_nodes() => Assert.Equal(
            """"
            {"nodes":[{"name":"n1","state":"reachable","slots":4,"free_slots":3,"running_tasks":["task-9"],"task_names":["echo","sleep"],"priorities":{"min":0,"max":9},"capacity":{"cpu":0.30000000000000004,"disk":"Infinity","slots":4,"spiders":"-Infinity","task:echo":0},"free":{"cpu":0.1,"disk":"Infinity","slots":3,"spiders":"-Infinity","task:echo":0},"registered_at":"2025-01-31T09:30:00.125Z"},{"name":"n2","state":"unreachable","slots":1,"free_slots":1,"running_tasks":[],"task_names":[],"priorities":{"min":-2147483648,"max":2147483647},"capacity":{},"free":{},"registered_at":"2025-01-30T09:30:00.125Z"}]}
            """",
            OutputSamples.Compact(w => NodesJson.Write(w, OutputSamples.Nodes)));

    [Fact]
    public void Api_queues() => Assert.Equal(
            """"
            {"queued":3,"running":1,"queued_by_priority":{"-1":2,"5":1},"users":[{"user":"alice","queued":2,"running":1,"queued_by_priority":{"-1":1,"5":1}},{"user":"zoë","queued":1,"running":0,"queued_by_priority":{"-1":1}}]}
            """",
            OutputSamples.Compact(w => QueuesJson.Write(w, OutputSamples.Queues)));

    [Fact]
    public void Api_stats() => Assert.Equal(
            """"
            {"task_names":[{"name":"echo","finished":3,"succeeded":1,"failed":1,"cancelled":1,"run_time":{"count":3,"min_seconds":0.0015,"mean_seconds":0.25,"max_seconds":120},"wait_time":{"count":3,"min_seconds":0,"mean_seconds":1E-07,"max_seconds":1}},{"name":"never","finished":1,"succeeded":0,"failed":0,"cancelled":1,"run_time":null,"wait_time":null}]}
            """",
            OutputSamples.Compact(w => StatisticsJson.Write(w, OutputSamples.Statistics)));

    [Fact]
    public void Api_history() => Assert.Equal(
            """"
            {"interval_seconds":5,"samples":[{"start":"2025-01-31T09:30:00.125Z","submitted":3,"started":2,"finished":1,"queued":4,"running":1},{"start":"2025-01-31T09:30:05.125Z","submitted":0,"started":0,"finished":0,"queued":0,"running":0}]}
            """",
            OutputSamples.Compact(w => HistoryJson.Write(w, OutputSamples.History)));

    [Fact]
    public void Api_cluster() => Assert.Equal(
            """"
            {"clustered":true,"self":"akka.tcp://lighthouse@10.0.0.1:4053","scheduler_host":null,"members":[{"address":"akka.tcp://lighthouse@10.0.0.1:4053","status":"up","reachable":true,"roles":["scheduler"],"runs_scheduler":false,"self":true},{"address":"akka.tcp://lighthouse@10.0.0.2:4053","status":"weakly_up","reachable":false,"roles":[],"runs_scheduler":false,"self":false}]}
            """",
            OutputSamples.Compact(w => ClusterJson.Write(w, OutputSamples.Cluster)));

    [Fact]
    public void Api_overview() => Assert.Equal(
            """"
            {"generated_at":"2025-01-31T09:30:00.125Z","cluster":{"clustered":true,"self":"akka.tcp://lighthouse@10.0.0.1:4053","scheduler_host":null,"members":[{"address":"akka.tcp://lighthouse@10.0.0.1:4053","status":"up","reachable":true,"roles":["scheduler"],"runs_scheduler":false,"self":true},{"address":"akka.tcp://lighthouse@10.0.0.2:4053","status":"weakly_up","reachable":false,"roles":[],"runs_scheduler":false,"self":false}]},"nodes":[{"name":"n1","state":"reachable","slots":4,"free_slots":3,"task_names":["echo","sleep"],"priorities":{"min":0,"max":9},"capacity":{"cpu":0.30000000000000004,"disk":"Infinity","slots":4,"spiders":"-Infinity","task:echo":0},"free":{"cpu":0.1,"disk":"Infinity","slots":3,"spiders":"-Infinity","task:echo":0},"registered_at":"2025-01-31T09:30:00.125Z","running":[{"id":"task-9","name":"sleep","user":"bob","priority":0,"progress":42.5,"attempts":2,"started_at":"2025-01-31T09:30:00.132Z","cancel_requested":true}]},{"name":"n2","state":"unreachable","slots":1,"free_slots":1,"task_names":[],"priorities":{"min":-2147483648,"max":2147483647},"capacity":{},"free":{},"registered_at":"2025-01-30T09:30:00.125Z","running":[]}],"queues":{"queued":3,"running":1,"queued_by_priority":{"-1":2,"5":1},"users":[{"user":"alice","queued":2,"running":1,"queued_by_priority":{"-1":1,"5":1}},{"user":"zoë","queued":1,"running":0,"queued_by_priority":{"-1":1}}]},"oldest_waiting":{"id":"task-8","name":"gpu","user":"alice","priority":5,"state":"queued","progress":0,"result":null,"error":null,"node":null,"attempts":0,"pending_reason":"0/1 nodes fit: 1 lack \"gpu\"","waits_for_capacity":false,"submitted_at":"2025-01-31T09:30:00.125Z","started_at":null,"finished_at":null,"retry":null,"timeout_ms":null,"not_before":null,"next_attempt_at":null,"retries":0,"attempt_errors":[],"after":[],"dependents":[],"concurrency_key":null},"blocked":{"count":1,"free_slots":3,"tasks":[{"id":"task-8","name":"gpu","user":"alice","priority":5,"state":"queued","progress":0,"result":null,"error":null,"node":null,"attempts":0,"pending_reason":"0/1 nodes fit: 1 lack \"gpu\"","waits_for_capacity":false,"submitted_at":"2025-01-31T09:30:00.125Z","started_at":null,"finished_at":null,"retry":null,"timeout_ms":null,"not_before":null,"next_attempt_at":null,"retries":0,"attempt_errors":[],"after":[],"dependents":[],"concurrency_key":null}]},"waiting_for_policies":{"delayed":1,"retrying":0,"dependencies":2,"concurrency_key":0,"tasks":[{"id":"task-11","name":"echo","user":"zoë","waits_for":"delayed","pending_reason":"not before 10:42:03Z","submitted_at":"2025-01-31T09:30:00.125Z","due_at":"2025-01-31T10:30:00.125Z"}]},"stats":{"task_names":[{"name":"echo","finished":3,"succeeded":1,"failed":1,"cancelled":1,"run_time":{"count":3,"min_seconds":0.0015,"mean_seconds":0.25,"max_seconds":120},"wait_time":{"count":3,"min_seconds":0,"mean_seconds":1E-07,"max_seconds":1}},{"name":"never","finished":1,"succeeded":0,"failed":0,"cancelled":1,"run_time":null,"wait_time":null}]},"history":{"interval_seconds":5,"samples":[{"start":"2025-01-31T09:30:00.125Z","submitted":3,"started":2,"finished":1,"queued":4,"running":1},{"start":"2025-01-31T09:30:05.125Z","submitted":0,"started":0,"finished":0,"queued":0,"running":0}]}}
            """",
            OutputSamples.Compact(w => OverviewJson.Write(w, OutputSamples.Overview)));
}
