using Lighthouse.Worker.Cli;

return WorkerCommandLine.Run(args, Console.Out, Console.Error);
