/* C# module of penlink: the shared interface (bindings/swig) plus C#'s error hook and naming.
 * The module name is also the DllImport name, so the native library is libpenlink_csharp.so.
 * Every SWIG-generated type is renamed Native* and made internal: users see only the
 * idiomatic types in src/ (Pen, Status, events, exceptions), which copy values out of these
 * proxies so nothing a user holds points into C++ memory. */
%module(directors="1") penlink_csharp

%rename("Native%s", %$isclass) "";
%rename("Native%s", %$isenum) "";

%typemap(csclassmodifiers) SWIGTYPE "internal class"
%typemap(csclassmodifiers) enum SWIGTYPE "internal enum"
%pragma(csharp) moduleclassmodifiers="internal class"
%pragma(csharp) imclassclassmodifiers="internal class"
/* Fault's bit values are unsigned (1u << n); C# enums default to int. */
%typemap(csbase) penlink::Fault "uint"

/* Error hook (see bindings/swig/errors.i). C++ cannot create a managed exception, so C#
 * registers a callback once; the wrapper calls it to set SWIG's pending exception, returns,
 * and the generated C# code throws it on the calling thread. */
%insert(runtime) %{
/* problem: the penlink::TreatmentLogProblem of a treatment log error, -1 for any other. */
typedef void (SWIGSTDCALL* PenlinkRaiseCallback)(int code, const char* message, double value,
                                                 double limit, const char* unit, int problem);
static PenlinkRaiseCallback penlink_csharp_raise_callback = 0;

extern "C" SWIGEXPORT void SWIGSTDCALL PenlinkRegisterRaiseCallback(PenlinkRaiseCallback callback) {
    penlink_csharp_raise_callback = callback;
}
%}

%{
#include "penlink/errors.hpp"
#include "penlink_bind_records.hpp"

static void penlink_csharp_raise(const penlink::Error& error) {
    double value = 0;
    double limit = 0;
    std::string unit;
    if (const auto* range = dynamic_cast<const penlink::OutOfRangeError*>(&error)) {
        value = range->value();
        limit = range->limit();
        unit = range->unit();
    }
    penlink_csharp_raise_callback(static_cast<int>(error.code()), error.what(), value, limit,
                                  unit.c_str(), penlink::bind::treatment_log_problem(error));
}

/* Anything that is not a penlink::Error (std::bad_alloc, a bug) surfaces as an internal error. */
static void penlink_csharp_raise_other(const char* message) {
    penlink_csharp_raise_callback(static_cast<int>(penlink::ErrorCode::Internal), message, 0, 0, "",
                                  -1);
}

#define PENLINK_RAISE(error) penlink_csharp_raise(error)
#define PENLINK_RAISE_OTHER(message) penlink_csharp_raise_other(message)
%}

%define PENLINK_FAIL return $null %enddef

%pragma(csharp) imclasscode=%{
  // Registers the raise callback before any wrapper can need it. The delegate lives in a
  // static field so the collector never frees what native code calls.
  internal class PenlinkErrorHelper {
    internal delegate void RaiseDelegate(int code, string message, double value, double limit,
                                         string unit, int problem);
    static readonly RaiseDelegate raiseDelegate = Raise;

    [global::System.Runtime.InteropServices.DllImport("$dllimport", EntryPoint="PenlinkRegisterRaiseCallback")]
    static extern void PenlinkRegisterRaiseCallback(RaiseDelegate callback);

    static void Raise(int code, string message, double value, double limit, string unit,
                      int problem) {
      SWIGPendingException.Set(Penlink.Errors.FromNative(code, message, value, limit, unit,
                                                         problem));
    }

    static PenlinkErrorHelper() {
      PenlinkRegisterRaiseCallback(raiseDelegate);
    }
  }
  internal static readonly PenlinkErrorHelper penlinkErrorHelper = new PenlinkErrorHelper();
%}

%include "penlink.i"
%include "discovery.i"
%include "treatment.i"
/* event is a C# keyword (penlink::RecordedEvent itself is not wrapped). */
%rename(event_at) penlink::bind::RecordingTimeline::event;
%rename(recorded_event) penlink::RecordedEvent::event;
%include "records.i"
