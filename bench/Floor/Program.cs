// Answers one line read from stdin with the same line, then exits.
Console.Out.WriteLine(Console.In.ReadLine());
