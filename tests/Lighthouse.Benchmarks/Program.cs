using Lighthouse.Benchmarks;

// One entry point for every benchmark: see docs/benchmarks.md for the commands and the figures.
//   dotnet run -c Release --project tests/Lighthouse.Benchmarks -- placement [--quick]
//   dotnet run -c Release --project tests/Lighthouse.Benchmarks -- dispatch [--quick]
//   dotnet run -c Release --project tests/Lighthouse.Benchmarks -- serialization [--quick]
//   dotnet run -c Release --project tests/Lighthouse.Benchmarks -- e2e [--quick] [--tls] [--store sqlite|memory]
//   dotnet run -c Release --project tests/Lighthouse.Benchmarks -- persistence [--quick]
//   dotnet run -c Release --project tests/Lighthouse.Benchmarks -- chaos [--quick] [--minutes N] [--seed S] (exit code 1 when an invariant breaks)
//   dotnet run -c Release --project tests/Lighthouse.Benchmarks -- soak [--rate N] [--minutes N] [--warmup-minutes N] (exit code 1 when memory is not flat)
//   dotnet run -c Release --project tests/Lighthouse.Benchmarks -- memory [--tasks N] [--users N] [--payload-bytes N] [--host [--restarts N] [--data-dir DIR]]
// "all" runs the in-process ones (placement, dispatch, serialization); e2e, persistence, chaos and soak start processes and databases.
var which = args.Length > 0 ? args[0] : "all";
var rest = args.Skip(1).ToArray();
switch (which)
{
    case "placement": PlacementBenchmark.Run(rest); break;
    case "dispatch": DispatchBenchmark.Run(rest); break;
    case "serialization": SerializationBenchmark.Run(rest); break;
    case "e2e": EndToEndBenchmark.Run(rest); break;
    case "persistence": PersistenceBenchmark.Run(rest); break;
    case "chaos": return ChaosBenchmark.Run(rest);
    case "soak": return SoakBenchmark.Run(rest);
    case "memory": MemoryBenchmark.Run(rest); break;
    case "all": PlacementBenchmark.Run(rest); DispatchBenchmark.Run(rest); SerializationBenchmark.Run(rest); break;
    default:
        Console.Error.WriteLine($"unknown benchmark \"{which}\": expected placement, dispatch, serialization, e2e, persistence, chaos, soak, memory or all");
        return 2;
}
return 0;
