using Lighthouse.Worker.Cli;

return await WorkerCommandLine.RunAsync(args, Console.Out, Console.Error);
