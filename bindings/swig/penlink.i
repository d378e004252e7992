/* The language-neutral SWIG interface of penlink. Each language's own .i file declares its
 * %module, defines the error hook (see errors.i), adds its typemaps, then %includes this file.
 *
 * What is wrapped: the value types of penlink/types.hpp, the error codes, the module descriptor
 * types and ParamValue (modules.i, penlink_bind_modules.hpp), and the binding support layer
 * penlink_bind.hpp (Pen, Subscription) with the headers it includes (listener directors,
 * ConnectOptions, log). The std::function, std::optional, std::chrono and std::unique_ptr
 * parts of penlink::Pen are not wrapped; penlink_bind.hpp offers plain equivalents. */

%{
#include "penlink_bind.hpp"
%}

%include <stdint.i>
%include <std_string.i>
%include <std_vector.i>

/* Export macros mean nothing to the wrappers. */
#define PENLINK_EXPORT
#define PENLINK_NO_EXPORT

%include "errors.i"
%include "types.i"
%include "modules.i"
%include "callbacks.i"
%include "pen.i"
