namespace Orchestrator.Orchestration;

/// <summary>Cycle detection over a plan's subtasks, whose dependencies are given as indices of siblings.</summary>
internal static class DependencyGraph
{
    /// <summary>
    /// The first cycle found, as the indices along it with the first repeated at the end (a self-dependency is
    /// <c>[i, i]</c>); null when the graph is acyclic. Iterative depth-first search, so a long chain cannot overflow the stack.
    /// </summary>
    public static List<int>? FindCycle(IReadOnlyList<IReadOnlyList<int>> dependencies)
    {
        var n = dependencies.Count;
        var state = new byte[n]; // 0 unvisited, 1 on the current path, 2 done
        var path = new List<int>();
        var next = new int[n];
        for (var root = 0; root < n; root++)
        {
            if (state[root] != 0) continue;
            path.Add(root);
            state[root] = 1;
            while (path.Count > 0)
            {
                var node = path[^1];
                if (next[node] < dependencies[node].Count)
                {
                    var target = dependencies[node][next[node]++];
                    if (state[target] == 1)
                    {
                        var cycle = path.GetRange(path.IndexOf(target), path.Count - path.IndexOf(target));
                        cycle.Add(target);
                        return cycle;
                    }
                    if (state[target] == 0)
                    {
                        state[target] = 1;
                        path.Add(target);
                    }
                }
                else
                {
                    state[node] = 2;
                    path.RemoveAt(path.Count - 1);
                }
            }
        }
        return null;
    }
}
