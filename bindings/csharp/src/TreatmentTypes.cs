namespace Penlink
{
    /// <summary>Who the device is for, set by the app and never by a recipe; the values match
    /// the C++ API.</summary>
    public enum DeviceClass
    {
        /// <summary>Clinic devices: the zone chart and the pen's limits apply.</summary>
        Professional = 0,
        /// <summary>Consumer devices: a low depth cap and no energy-delivering modules.</summary>
        AtHome = 1,
    }

    /// <summary>What a treatment Runner is doing; the values match the C++ API.</summary>
    public enum RunState
    {
        /// <summary>Start() not called yet.</summary>
        NotStarted = 0,
        /// <summary>A treat step with the needle running.</summary>
        Running = 1,
        /// <summary>Pause(): needle and outputs off until Resume().</summary>
        Paused = 2,
        /// <summary>A pause step: waits for the pen's button or Resume().</summary>
        WaitingForOperator = 3,
        /// <summary>The run ended.</summary>
        Finished = 4,
    }

    /// <summary>How a treatment run ended; the values match the C++ API.</summary>
    public enum RunOutcome
    {
        /// <summary>Every step ran to its end (some perhaps skipped).</summary>
        Completed = 0,
        /// <summary>The app called Abort().</summary>
        Aborted = 1,
        /// <summary>A fault, e-stop, lost link, restart or refused command stopped it.</summary>
        Failed = 2,
    }
}
