using JoinMe.Emulator;

return await EmulatorCommand.RunAsync(args, Console.Out, Console.Error);
