using Lighthouse.Host.Cli;

return LighthouseCommandLine.Run(args, Console.In, Console.Out, Console.Error);
