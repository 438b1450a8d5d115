using Xunit.Sdk;
using Xunit.v3;

// One browser test at a time. Each class drives its own Chromium against its own sample server, and Scalar's 4.9 MB bundle alone
// takes seconds of CPU to compile: side by side, two Chromiums and two servers on a small machine only slow each other down.
[assembly: Parallelization(Mode = ParallelMode.None)]
