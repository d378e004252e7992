/* Session recordings and the treatment log (penlink/recorder.hpp,
 * penlink/recording_timeline.hpp, penlink/records.hpp) through the plain shapes of
 * penlink_bind_records.hpp, included by every language's module after treatment.i. A
 * recording's timeline is read through indexed accessors; its Status frames come out as the
 * language's own status type: status.i maps penlink::Status for Python, and Java and C# convert
 * the proxy with the converter their status listener uses (Convert.status / Convert.ToStatus).
 * A TreatmentLogError reaches Java and C# as TreatmentLogException carrying its problem
 * (penlink::bind::treatment_log_problem); Python maps it by its code. */
%{
#include "penlink_bind_records.hpp"
%}

/* The SDK's own timeline and log types are replaced by penlink_bind_records.hpp's; only the
 * command and channel records cross as they are. */
%ignore penlink::RecordedStatus;
%ignore penlink::RecordedEvent;
%ignore penlink::RecordingTimeline;
%ignore penlink::read_recording_timeline;
%include "penlink/recording_timeline.hpp"

%include "penlink_bind_records.hpp"

%template(RecordedTelemetryChannelVector) std::vector<penlink::RecordedTelemetryChannel>;
%template(LoggedRunVector) std::vector<penlink::bind::LoggedRun>;
%template(LoggedModuleTotalVector) std::vector<penlink::bind::LoggedModuleTotal>;
%template(LoggedEventVector) std::vector<penlink::bind::LoggedEvent>;
%template(LoggedCartridgeUseVector) std::vector<penlink::bind::LoggedCartridgeUse>;
