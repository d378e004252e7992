// Turns a penlink::Error into the matching Java exception (io.penlink.PenException and
// subclasses). Used by the SWIG %exception hook of the Java module; runs on the Java thread
// that made the call, so FindClass sees the application's class loader.
#pragma once

#include <jni.h>

#include <string>

#include "penlink/errors.hpp"
#include "penlink_bind_records.hpp"

namespace penlink::java {

// Leaves exception pending in jenv. If building it fails, the JVM's own exception (e.g.
// OutOfMemoryError) stays pending instead, which is as good a signal as any.
inline void raise(JNIEnv* jenv, int code, const char* message, double value, double limit,
                  const char* unit) {
    jclass errors = jenv->FindClass("io/penlink/Errors");
    if (errors == nullptr) return;
    jmethodID from_native = jenv->GetStaticMethodID(
        errors, "fromNative", "(ILjava/lang/String;DDLjava/lang/String;)Lio/penlink/PenException;");
    jstring jmessage = from_native ? jenv->NewStringUTF(message) : nullptr;
    jstring junit = jmessage ? jenv->NewStringUTF(unit) : nullptr;
    if (junit != nullptr) {
        auto exception = static_cast<jthrowable>(jenv->CallStaticObjectMethod(
            errors, from_native, static_cast<jint>(code), jmessage, static_cast<jdouble>(value),
            static_cast<jdouble>(limit), junit));
        if (exception != nullptr && !jenv->ExceptionCheck()) jenv->Throw(exception);
        if (exception != nullptr) jenv->DeleteLocalRef(exception);
    }
    if (junit != nullptr) jenv->DeleteLocalRef(junit);
    if (jmessage != nullptr) jenv->DeleteLocalRef(jmessage);
    jenv->DeleteLocalRef(errors);
}

// A treatment log error (penlink::TreatmentLogError) becomes io.penlink.TreatmentLogException,
// which carries the problem as well as the code.
inline void raise_treatment_log(JNIEnv* jenv, int code, const char* message, int problem) {
    jclass errors = jenv->FindClass("io/penlink/Errors");
    if (errors == nullptr) return;
    jmethodID from_log = jenv->GetStaticMethodID(errors, "fromTreatmentLog",
                                                 "(ILjava/lang/String;I)Lio/penlink/PenException;");
    jstring jmessage = from_log ? jenv->NewStringUTF(message) : nullptr;
    if (jmessage != nullptr) {
        auto exception = static_cast<jthrowable>(jenv->CallStaticObjectMethod(
            errors, from_log, static_cast<jint>(code), jmessage, static_cast<jint>(problem)));
        if (exception != nullptr && !jenv->ExceptionCheck()) jenv->Throw(exception);
        if (exception != nullptr) jenv->DeleteLocalRef(exception);
        jenv->DeleteLocalRef(jmessage);
    }
    jenv->DeleteLocalRef(errors);
}

inline void raise(JNIEnv* jenv, const penlink::Error& error) {
    const std::int32_t problem = penlink::bind::treatment_log_problem(error);
    if (problem >= 0) {
        raise_treatment_log(jenv, static_cast<int>(error.code()), error.what(), problem);
        return;
    }
    double value = 0;
    double limit = 0;
    std::string unit;
    if (const auto* range = dynamic_cast<const penlink::OutOfRangeError*>(&error)) {
        value = range->value();
        limit = range->limit();
        unit = range->unit();
    }
    raise(jenv, static_cast<int>(error.code()), error.what(), value, limit, unit.c_str());
}

// Anything that is not a penlink::Error (std::bad_alloc, a bug) surfaces as an internal error.
inline void raise_other(JNIEnv* jenv, const char* message) {
    raise(jenv, static_cast<int>(penlink::ErrorCode::Internal), message, 0, 0, "");
}

}  // namespace penlink::java
