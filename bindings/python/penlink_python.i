/* Python module penlink.native (C++ half: penlink/_native.so): the shared interface plus
 * Python's error hook and fast paths. Users never import it; the pure-Python package penlink
 * wraps it (context manager, iterator, enums, exceptions). threads="1": every call releases
 * the GIL, so a pen's threads can call back into Python (directors take the GIL) while a
 * Python thread waits in C++. */
%module(package="penlink", directors="1", threads="1") native

%{
#include "penlink_bind.hpp"

/* Raises the Python exception penlink.errors builds for this error (see errors.i). */
static void penlink_python_raise(const penlink::Error& error) {
    const penlink::Result detail = penlink::bind::describe_error(error);
    PyObject* module = PyImport_ImportModule("penlink.errors");
    PyObject* exception = nullptr;
    if (module != nullptr) {
        exception = PyObject_CallMethod(module, "_from_native", "ssidds",
                                        penlink::bind::error_class_name(error), error.what(),
                                        static_cast<int>(error.code()), detail.value,
                                        detail.limit, detail.unit.c_str());
        Py_DECREF(module);
    }
    if (exception == nullptr) {
        /* penlink.errors is missing or broken: still say what went wrong. */
        PyErr_Clear();
        PyErr_SetString(PyExc_RuntimeError, error.what());
        return;
    }
    PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exception)), exception);
    Py_DECREF(exception);
}

static void penlink_python_raise_other(const char* message) {
    PyErr_SetString(PyExc_RuntimeError, message);
}

#define PENLINK_RAISE(error) penlink_python_raise(error)
#define PENLINK_RAISE_OTHER(message) penlink_python_raise_other(message)
%}

%define PENLINK_FAIL SWIG_fail %enddef

/* A Python exception escaping a listener (the penlink package catches them first; this is the
 * fallback): print its traceback to sys.stderr, which also clears it, so
 * the callback thread carries on with a clean interpreter state (penlink_bind.hpp logs it). */
%feature("director:except") {
    if ($error != nullptr) {
        PyErr_Print();
        /* Not Swig::DirectorMethodException: it would set a Python error again, and when the
         * upcall came from a Python thread (a log line during a call) that error would leak
         * into the wrapper that thread is in. */
        throw std::runtime_error("a Python listener raised; traceback printed to stderr");
    }
}

%include "status.i"
%include "penlink.i"

%include "discovery.i"
%include "treatment.i"
%include "records.i"
