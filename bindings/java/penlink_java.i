/* Java module of penlink: the shared interface (bindings/swig) plus Java's error hook and
 * naming. Every SWIG-generated class is renamed Native* and made package-private: users see
 * only the idiomatic classes in src/main/java (Pen, Status, listeners, exceptions), which copy
 * values out of these proxies so nothing a user holds points into C++ memory. */
%module(directors="1") PenlinkNative

%include "enums.swg"

%rename("Native%s", %$isclass) "";
%rename("Native%s", %$isenum) "";

%typemap(javaclassmodifiers) SWIGTYPE "class"
%typemap(javaclassmodifiers) enum SWIGTYPE "enum"
%pragma(java) moduleclassmodifiers="final class"
%pragma(java) jniclassclassmodifiers="final class"
%pragma(java) jniclasscode=%{
  static {
    NativeLoader.load();
  }
%}

/* Error hook (see bindings/swig/errors.i): build the exception in Java (io.penlink.Errors picks
 * the class) and leave it pending; the wrapper then returns at once. */
%define PENLINK_FAIL return $null %enddef
%{
#include "penlink_java_errors.hpp"
#define PENLINK_RAISE(error) penlink::java::raise(jenv, error)
#define PENLINK_RAISE_OTHER(message) penlink::java::raise_other(jenv, message)
%}

/* A listener that throws in Java is caught by the idiomatic wrapper before it returns to C++;
 * should anything still be pending, clear it here rather than unwind through the SDK thread. */
%feature("director:except") %{
  if (jenv->ExceptionCheck()) {
    jenv->ExceptionDescribe();
    jenv->ExceptionClear();
  }
%}

%include "penlink.i"
%include "discovery.i"
%include "treatment.i"
%include "records.i"
