/* Treatment recipes, validation and the runner (penlink/treatment.hpp,
 * penlink/treatment_runner.hpp) through the plain shapes of penlink_bind_treatment.hpp,
 * included by each language's module after penlink.i. Progress reaches the host language
 * through a ProgressListener director on the runner's own thread; the host keeps it
 * referenced for as long as its Runner lives. Each language has its own DeviceClass, RunState
 * and RunOutcome enums (checked against C++ by test_value_types_agree.py). */
%{
#include "penlink_bind_treatment.hpp"
%}

%feature("director") penlink::bind::ProgressListener;

/* Internal: the host wrappers never see the SDK's own types. */
%ignore penlink::bind::Recipe::Recipe;
%ignore penlink::bind::Recipe::native;

/* wait() is final in java.lang.Object. */
%rename(wait_until_done) penlink::bind::Runner::wait;

%include "penlink_bind_treatment.hpp"

%template(TreatmentViolationVector) std::vector<penlink::bind::Violation>;
%template(StepTotalsVector) std::vector<penlink::bind::StepTotals>;
%template(ModuleTotalVector) std::vector<penlink::bind::ModuleTotal>;
