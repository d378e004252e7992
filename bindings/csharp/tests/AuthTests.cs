// Authenticated sessions (docs/protocol.md section 16): the acceptance steps over an
// authenticated session in process and over TCP, and the distinct errors of no key and a wrong
// key.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using NUnit.Framework;

namespace Penlink.Tests
{
    [TestFixture]
    public class AuthTests
    {
        const string Serial = "SIM-AUTH-CS";
        static readonly byte[] Key = Bytes(0x00);
        static readonly byte[] Other = Bytes(0xA0);
        string keyFile;
        SimProcess sim;
        SimProcess ptySim;

        static byte[] Bytes(int first)
        {
            var bytes = new byte[32];
            for (int i = 0; i < bytes.Length; ++i) bytes[i] = (byte)(first + i);
            return bytes;
        }

        static string Hex(byte[] bytes) => BitConverter.ToString(bytes).Replace("-", "").ToLowerInvariant();

        static void Chmod(string path, string mode)
        {
            using (var chmod = Process.Start(new ProcessStartInfo("chmod", mode + " " + path) { UseShellExecute = false }))
                chmod.WaitForExit();
        }

        [TestFixtureSetUp]
        public void Start()
        {
            keyFile = Path.GetTempFileName();
            Chmod(keyFile, "600");
            File.WriteAllText(keyFile, Hex(Key) + "\n");
            sim = SimProcess.Start("--serial " + Serial + " --key-file " + keyFile);
            ptySim = SimProcess.StartPty("--serial " + Serial + " --key-file " + keyFile);
        }

        [TestFixtureTearDown]
        public void Stop()
        {
            sim?.Dispose();
            ptySim?.Dispose();
            File.Delete(keyFile);
        }

        string InProcessUrl => "sim://?serial=" + Serial + "&key_file=" + keyFile;

        static ConnectOptions WithKey(byte[] key) =>
            new ConnectOptions { Keys = new Dictionary<string, byte[]> { { Serial, key } } };

        [Test]
        public void InProcessAuthenticated() { AuthenticatedSession(InProcessUrl); }

        [Test]
        public void PenlinkSimOverTcpAuthenticated() { AuthenticatedSession(sim.Url); }

        [Test]
        public void PenlinkSimOverPtyAuthenticated() { AuthenticatedSession(ptySim.Url); }

        static void AuthenticatedSession(string url)
        {
            using (Pen pen = Pen.Connect(url, WithKey(Key)))
            {
                Assert.IsTrue(pen.Authenticated);
                pen.SetDepthMm(1.0);
                pen.SetSpeedHz(100);
                pen.Start();
                var deadline = DateTime.UtcNow.AddSeconds(5);
                while (DateTime.UtcNow < deadline &&
                       (pen.LatestStatus == null || pen.LatestStatus.Value.State != PenState.Running))
                    Thread.Sleep(10);
                Assert.AreEqual(PenState.Running, pen.LatestStatus.Value.State);
                pen.Stop();
                SecurityStats stats = pen.SecurityStats();
                Assert.IsTrue(stats.Authenticated);
                Assert.AreEqual(0UL, stats.Forged);
                Assert.AreEqual(0UL, stats.Replayed);
                StringAssert.Contains("authenticated=True", stats.ToString());
            }
        }

        [Test]
        public void MissingAndWrongKeysAreDistinctErrors()
        {
            foreach (var url in new[] { InProcessUrl, sim.Url, ptySim.Url })
            {
                var missing = Assert.Throws<AuthenticationException>(() => Pen.Connect(url).Dispose());
                Assert.AreEqual(ErrorCode.AuthenticationRequired, missing.Code);
                StringAssert.Contains(Serial, missing.Message);
                var wrong = Assert.Throws<AuthenticationException>(() => Pen.Connect(url, WithKey(Other)).Dispose());
                Assert.AreEqual(ErrorCode.KeyRejected, wrong.Code);
                StringAssert.DoesNotContain(Hex(Other), wrong.Message);
            }
        }

        [Test]
        public void KeysAreChecked()
        {
            Assert.Throws<InvalidArgumentException>(() => Pen.Connect("sim://", WithKey(new byte[31])));
        }
    }
}
