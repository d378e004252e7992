/* Add-on modules: descriptor value types (penlink/module_descriptor.hpp), ParamValue
 * (penlink/module.hpp) and the plain shapes of penlink_bind_modules.hpp. penlink::Module and
 * penlink::ParamSetting are not wrapped: bind::ModuleInfo and bind::ParamList replace them. */

/* Each language looks parameters and channels up its own way (dict, Map, LINQ). */
%ignore penlink::ModuleDescriptor::find_parameter;
%ignore penlink::ModuleDescriptor::find_telemetry;
%ignore penlink::ModuleDescriptor::has_profile;

/* A Python keyword; the enum stays internal, every language has its own. */
%rename(NoSafety) penlink::SafetyClass::None;

%include "penlink/module_descriptor.hpp"

%template(StringVector) std::vector<std::string>;
%template(ParamSpecVector) std::vector<penlink::ParamSpec>;
%template(TelemetrySpecVector) std::vector<penlink::TelemetrySpec>;
%template(InterlockSpecVector) std::vector<penlink::InterlockSpec>;

/* Made through bind::param_bool / param_number / param_label; the kind through param_kind. */
%ignore penlink::ParamValue::ParamValue(bool);
%ignore penlink::ParamValue::ParamValue(int);
%ignore penlink::ParamValue::ParamValue(double);
%ignore penlink::ParamValue::ParamValue(const char*);
%ignore penlink::ParamValue::ParamValue(std::string);
%ignore penlink::ParamValue::kind;
%ignore penlink::ParamValue::Kind;
%ignore penlink::ParamValue::operator==;
%ignore penlink::ParamValue::operator!=;
%ignore penlink::Module;
%ignore penlink::ParamSetting;

%include "penlink/module.hpp"

/* Internal to the binding layer. */
%ignore penlink::bind::ParamList::settings;

%include "penlink_bind_modules.hpp"

%template(ModuleInfoVector) std::vector<penlink::bind::ModuleInfo>;
