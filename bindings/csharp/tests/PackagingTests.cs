// What an app sees of the package itself: the assembly's version is the library's, and every
// value type prints itself (a log line or the debugger shows the values, not the type name).
using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using NUnit.Framework;

namespace Penlink.Tests
{
    [TestFixture]
    public class PackagingTests
    {
        [Test]
        public void TheAssemblyCarriesTheLibraryVersion()
        {
            Assembly assembly = typeof(Pen).Assembly;
            Version expected = Version.Parse(Sdk.Version);
            Assert.AreEqual(new Version(expected.Major, expected.Minor, expected.Build, 0),
                            assembly.GetName().Version);
            var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>();
            Assert.IsNotNull(informational);
            Assert.AreEqual(Sdk.Version, informational.InformationalVersion);
        }

        // Types with behaviour rather than values; everything else public must print itself.
        static readonly HashSet<Type> NotValues = new HashSet<Type>
        {
            typeof(Pen), typeof(Subscription), typeof(Module), typeof(Sdk), typeof(Runner),
        };

        [Test]
        public void EveryPublicValueTypePrintsItself()
        {
            var silent = typeof(Pen).Assembly.GetExportedTypes()
                .Where(t => !t.IsEnum && !t.IsInterface && !NotValues.Contains(t) &&
                            !typeof(Exception).IsAssignableFrom(t) &&
                            !typeof(Delegate).IsAssignableFrom(t) &&
                            !(t.IsAbstract && t.IsSealed))  // static classes
                .Where(t => t.GetMethod("ToString", Type.EmptyTypes).DeclaringType != t)
                .Select(t => t.Name).ToList();
            Assert.IsEmpty(silent, "no ToString(): " + string.Join(", ", silent));
        }

        [Test]
        public void ThePensValuesPrintTheirFields()
        {
            using (Pen pen = Pen.Connect("sim://?rf=1&led=1"))
            {
                StringAssert.Contains(pen.Info.Model, pen.Info.ToString());
                StringAssert.Contains("mm", pen.Capabilities.ToString());
                StringAssert.Contains("nm", pen.Capabilities.Led.ToString());
                StringAssert.Contains("kHz", pen.Capabilities.Rf.ToString());
            }
            Assert.AreEqual("LedMode(off)", LedMode.Off.ToString());
            Assert.AreEqual("LedMode(on, 633 nm, 40 mW/cm2, continuous)",
                            LedMode.Continuous(633, 40).ToString());
            Assert.AreEqual("RfMode(on, Bipolar, 1500 kHz, 5 W, 100 ms)",
                            RfMode.On(RfPolarity.Bipolar, 1500, 5, 100).ToString());
        }
    }
}
