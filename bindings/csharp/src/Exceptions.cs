// Exceptions penlink throws: one hierarchy shared with the C++, Java and Python bindings.
// Note: TimeoutException and NotSupportedException share simple names with System types;
// write Penlink.TimeoutException where both namespaces are imported.
using System;

namespace Penlink
{
    /// <summary>Why a penlink call failed. Numbers match the C++ and C APIs and never change.</summary>
    public enum ErrorCode
    {
        Ok = 0,
        InvalidArgument = -1,
        OutOfRange = -2,
        Timeout = -3,
        ConnectionFailed = -4,
        ConnectionLost = -5,
        NotConnected = -6,
        EmergencyStopped = -7,
        FaultActive = -8,
        NotSupported = -9,
        Rejected = -10,
        Protocol = -11,
        Internal = -12,
        CallbackFailed = -13,
        /// <summary>The pen requires authentication and no key was given for its serial.</summary>
        AuthenticationRequired = -14,
        /// <summary>The key given for the pen is not the pen's key.</summary>
        KeyRejected = -15,
        /// <summary>The pen failed to prove it holds its key.</summary>
        PenNotAuthentic = -16,
    }

    /// <summary>Base of every exception penlink throws. The message names the value, the
    /// limit and the unit where there is one.</summary>
    public class PenException : Exception
    {
        public PenException(ErrorCode code, string message) : base(message) { Code = code; }
        public ErrorCode Code { get; }
    }

    /// <summary>Malformed URL, option or argument.</summary>
    public class InvalidArgumentException : PenException
    {
        public InvalidArgumentException(string message) : base(ErrorCode.InvalidArgument, message) { }
    }

    /// <summary>A value outside the pen's (or the host's) limit. Value and Limit are in Unit.</summary>
    public class OutOfRangeException : PenException
    {
        public OutOfRangeException(string message, double value, double limit, string unit)
            : base(ErrorCode.OutOfRange, message)
        {
            Value = value;
            Limit = limit;
            Unit = unit;
        }

        /// <summary>The refused value, in Unit.</summary>
        public double Value { get; }
        /// <summary>The bound it broke (the step for a value off the grid), in Unit.</summary>
        public double Limit { get; }
        /// <summary>e.g. "mm", "Hz", "W".</summary>
        public string Unit { get; }
    }

    /// <summary>The pen did not acknowledge in time (after retries).</summary>
    public class TimeoutException : PenException
    {
        public TimeoutException(string message) : base(ErrorCode.Timeout, message) { }
    }

    /// <summary>Opening the link failed, or the link is gone.</summary>
    public class ConnectionException : PenException
    {
        public ConnectionException(ErrorCode code, string message) : base(code, message) { }
    }

    /// <summary>Refused for safety: emergency stop or a fault is latched.</summary>
    public class SafetyException : PenException
    {
        public SafetyException(ErrorCode code, string message) : base(code, message) { }
    }

    /// <summary>The pen or its add-ons lack the capability.</summary>
    public class NotSupportedException : PenException
    {
        public NotSupportedException(string message) : base(ErrorCode.NotSupported, message) { }
    }

    /// <summary>Any other refusal by the pen (busy, wrong state) or a protocol breach.</summary>
    public class RejectedException : PenException
    {
        public RejectedException(ErrorCode code, string message) : base(code, message) { }
    }

    /// <summary>An authenticated session could not be set up (codes AuthenticationRequired,
    /// KeyRejected, PenNotAuthentic). The message never contains a key.</summary>
    public class AuthenticationException : PenException
    {
        public AuthenticationException(ErrorCode code, string message) : base(code, message) { }
    }

    /// <summary>Why the treatment log refused or failed (TreatmentLogException.Problem).
    /// Numbers match the C++ enum penlink::TreatmentLogProblem.</summary>
    public enum TreatmentLogProblem
    {
        /// <summary>The file is not a penlink treatment log, or is corrupt (code
        /// InvalidArgument).</summary>
        NotATreatmentLog = 0,
        /// <summary>Another process held the database longer than the busy timeout (code
        /// Timeout).</summary>
        Locked = 1,
        /// <summary>Written by a newer penlink: its schema version is higher (code
        /// NotSupported).</summary>
        SchemaTooNew = 2,
        /// <summary>The cartridge is single-use and a run already used it (code
        /// Rejected).</summary>
        CartridgeUsed = 3,
        /// <summary>No run has that id, or it has already finished (code
        /// InvalidArgument).</summary>
        UnknownRun = 4,
        /// <summary>The file could not be read or written: missing, permissions, full disk
        /// (code ConnectionFailed).</summary>
        Storage = 5,
    }

    /// <summary>The treatment log (a SQLite file, docs/records.md) refused or failed: Problem
    /// says why, Code is the matching SDK error code, and the message names the file, the run
    /// or the cartridge. Thrown by TreatmentLog and by a Runner given a log
    /// (TreatmentOptions.RecordDb) that cannot be opened.</summary>
    public class TreatmentLogException : PenException
    {
        public TreatmentLogException(ErrorCode code, TreatmentLogProblem problem, string message)
            : base(code, message)
        {
            Problem = problem;
        }

        /// <summary>What went wrong.</summary>
        public TreatmentLogProblem Problem { get; }
    }

    /// <summary>A session recording cut short or broken after its header: Path is the file,
    /// Offset the byte where reading stopped; the message names both. (A file that is not a
    /// recording at all is a plain InvalidArgumentException, a newer format a
    /// NotSupportedException.) Recording.Read(path, allowTruncated: true) returns what came
    /// before instead.</summary>
    public class RecordingException : InvalidArgumentException
    {
        public RecordingException(string message, string path, long offset) : base(message)
        {
            Path = path;
            Offset = offset;
        }

        /// <summary>The file read.</summary>
        public string Path { get; }
        /// <summary>The byte where reading stopped.</summary>
        public long Offset { get; }
    }

    internal static class Errors
    {
        /// <summary>problem: the TreatmentLogProblem of a treatment log error, -1 for any
        /// other.</summary>
        internal static PenException FromNative(int codeValue, string message, double value,
                                                double limit, string unit, int problem)
        {
            if (problem >= 0)
                return new TreatmentLogException((ErrorCode)codeValue, (TreatmentLogProblem)problem,
                                                 message);
            return FromNative(codeValue, message, value, limit, unit);
        }

        internal static PenException FromNative(int codeValue, string message, double value,
                                                double limit, string unit)
        {
            var code = (ErrorCode)codeValue;
            switch (code)
            {
                case ErrorCode.InvalidArgument: return new InvalidArgumentException(message);
                case ErrorCode.OutOfRange: return new OutOfRangeException(message, value, limit, unit);
                case ErrorCode.Timeout: return new TimeoutException(message);
                case ErrorCode.ConnectionFailed:
                case ErrorCode.ConnectionLost:
                case ErrorCode.NotConnected: return new ConnectionException(code, message);
                case ErrorCode.EmergencyStopped:
                case ErrorCode.FaultActive: return new SafetyException(code, message);
                case ErrorCode.NotSupported: return new NotSupportedException(message);
                case ErrorCode.AuthenticationRequired:
                case ErrorCode.KeyRejected:
                case ErrorCode.PenNotAuthentic: return new AuthenticationException(code, message);
                default: return new RejectedException(code, message);
            }
        }
    }
}
