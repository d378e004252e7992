// Compiles examples/csharp/Quickstart.cs against Penlink.dll and runs it in a fresh mono
// process, the way a user would.
using System;
using System.Diagnostics;
using System.IO;
using NUnit.Framework;

namespace Penlink.Tests
{
    [TestFixture]
    public class ExampleTests
    {
        static string Run(string file, string arguments, string workingDirectory, out int exitCode)
        {
            var info = new ProcessStartInfo(file, arguments)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = workingDirectory,
            };
            using (Process process = Process.Start(info))
            {
                var stderr = process.StandardError.ReadToEndAsync();
                string stdout = process.StandardOutput.ReadToEnd();
                if (!process.WaitForExit(60000))
                {
                    process.Kill();
                    Assert.Fail(file + " did not finish within 60 s");
                }
                exitCode = process.ExitCode;
                return stdout + stderr.Result;
            }
        }

        [Test]
        public void QuickstartCompilesAndRuns()
        {
            string examples = Environment.GetEnvironmentVariable("PENLINK_EXAMPLES_DIR");
            string assemblyDir = Path.GetDirectoryName(typeof(Pen).Assembly.Location);
            string source = Path.Combine(examples, "Quickstart.cs");
            Assert.IsTrue(File.Exists(source), source + " exists");
            string exe = Path.Combine(assemblyDir, "Quickstart.exe");

            int exitCode;
            string output = Run("mcs", $"-nologo -langversion:7.2 -warnaserror -r:\"{typeof(Pen).Assembly.Location}\" -out:\"{exe}\" \"{source}\"",
                                assemblyDir, out exitCode);
            Assert.AreEqual(0, exitCode, "Quickstart.cs compiles cleanly:\n" + output);

            output = Run("mono", $"\"{exe}\" \"sim://?led=1\"", Path.GetTempPath(), out exitCode);
            Assert.AreEqual(0, exitCode, output);
            StringAssert.Contains("connected to ", output);
            StringAssert.Contains("running: ", output);
            StringAssert.Contains("refused as expected: ", output);
            StringAssert.EndsWith("quickstart done", output.TrimEnd());
        }
    }
}
