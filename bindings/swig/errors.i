/* Maps every penlink::Error to one exception hierarchy, named the same in every language:
 *   PenError
 *     InvalidArgumentError, OutOfRangeError (value, limit, unit), TimeoutError,
 *     ConnectionError > ConnectionLostError, SafetyError, NotSupportedError, RejectedError,
 *     AuthenticationError
 * penlink::bind::error_class_name() picks the name; describe_error() gives value/limit/unit.
 *
 * Per-language hook: before %including penlink.i, a language file provides
 *   - C/C++ (in a %{ %} block): PENLINK_RAISE(const penlink::Error&) and
 *     PENLINK_RAISE_OTHER(const char* message), which set the pending host exception;
 *   - SWIG: %define PENLINK_FAIL <statement that leaves the wrapper> %enddef
 *     (Python: SWIG_fail; Java and C#: return $null). */

#ifndef PENLINK_FAIL
#error "define PENLINK_FAIL (and PENLINK_RAISE / PENLINK_RAISE_OTHER) before including penlink.i"
#endif

%exception {
    try {
        $action
    } catch (const penlink::Error& penlink_error) {
        PENLINK_RAISE(penlink_error);
        PENLINK_FAIL;
    } catch (const std::exception& penlink_error) {
        PENLINK_RAISE_OTHER(penlink_error.what());
        PENLINK_FAIL;
    }
}

/* The exception classes are the host language's own; only the codes cross over. */
%ignore penlink::Error;
%ignore penlink::InvalidArgumentError;
%ignore penlink::OutOfRangeError;
%ignore penlink::TimeoutError;
%ignore penlink::ConnectionError;
%ignore penlink::SafetyError;
%ignore penlink::NotSupportedError;
%ignore penlink::RejectedError;
%ignore penlink::AuthenticationError;
%ignore penlink::Result;
%ignore penlink::Result::from;  /* a Python keyword; ignored anyway, this keeps SWIG quiet */
%ignore penlink::throw_error;
%rename(error_code_name) penlink::to_string(ErrorCode);

%include "penlink/errors.hpp"
