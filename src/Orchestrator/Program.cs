System.Console.Error.WriteLine("hi");
