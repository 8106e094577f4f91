using Lighthouse.Host.Cli;

return await LighthouseCommandLine.RunAsync(args, Console.In, Console.Out, Console.Error);
