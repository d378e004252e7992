/* Treatment recipes, validation and the runner (penlink/treatment.hpp,
 * penlink/treatment_runner.hpp) through the plain shapes of penlink_bind_treatment.hpp,
 * included by each language's module after penlink.i. Progress reaches the host language
 * through a ProgressListener director, and each step's start, totals, events and the result
 * through a RunListener director (penlink_bind_observer.hpp), both on the runner's own thread;
 * the host keeps them referenced for as long as their Runner lives. Each language has its own
 * DeviceClass, RunState and RunOutcome enums (checked against C++ by
 * test_value_types_agree.py). */
%{
#include "penlink_bind_treatment.hpp"
%}

%feature("director") penlink::bind::ProgressListener;
%feature("director") penlink::bind::RunListener;

/* Internal: the host wrappers never see the SDK's own types. */
%ignore penlink::bind::Recipe::Recipe;
%ignore penlink::bind::Recipe::native;

/* wait() is final in java.lang.Object. */
%rename(wait_until_done) penlink::bind::Runner::wait;

%include "penlink_bind_treatment_values.hpp"
%include "penlink_bind_observer.hpp"
%include "penlink_bind_treatment.hpp"

%template(TreatmentViolationVector) std::vector<penlink::bind::Violation>;
%template(StepTotalsVector) std::vector<penlink::bind::StepTotals>;
%template(ModuleTotalVector) std::vector<penlink::bind::ModuleTotal>;
