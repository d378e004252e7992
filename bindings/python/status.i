/* Status and Event cross into Python as instances of penlink.Status / penlink.Event (tuple
 * subclasses), built here in one go: no SWIG proxy per field read, and nothing that points
 * into C++ memory that is gone once the callback returns. Field order is the declaration
 * order of penlink/types.hpp and of penlink/types.py; keep the three in step. Until the
 * package registers its classes (raw use of penlink.native), plain tuples come out. */

%{
#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

namespace {

struct PenlinkPythonTypes {
    PyObject* status_type = nullptr;  // penlink.Status
    PyObject* event_type = nullptr;   // penlink.Event
    PyObject* pen_states = nullptr;   // tuple: PenState member at index value
    PyObject* event_kinds = nullptr;  // tuple: EventKind member at index value
    PyObject* telemetry_type = nullptr;  // penlink.TelemetryReading
};
PenlinkPythonTypes penlink_python_types;

/* A new tuple of type (or plain tuple) with size slots, filled by the caller. */
PyObject* penlink_new_tuple(PyObject* type, Py_ssize_t size) {
    if (type == nullptr) return PyTuple_New(size);
    auto* tuple_type = reinterpret_cast<PyTypeObject*>(type);
    return tuple_type->tp_alloc(tuple_type, size);
}

/* The enum member for value, or the plain integer when it is not a known value. */
PyObject* penlink_enum_member(PyObject* members, long value) {
    if (members != nullptr && value >= 0 && value < PyTuple_GET_SIZE(members)) {
        PyObject* member = PyTuple_GET_ITEM(members, value);
        if (member != Py_None) {
            Py_INCREF(member);
            return member;
        }
    }
    return PyLong_FromLong(value);
}

PyObject* penlink_bool(bool value) {
    PyObject* result = value ? Py_True : Py_False;
    Py_INCREF(result);
    return result;
}

/* A pen's callback thread is a C++ thread: without this, each upcall's PyGILState_Ensure
 * creates a Python thread state and its Release destroys it again, on every frame. One extra
 * Ensure per thread keeps the state for the thread's lifetime; it is dropped at thread exit
 * (pens are closed at interpreter exit, so that happens before finalization). */
/* A callback thread may also end while the interpreter shuts down (a pen the exit's garbage
 * collection destroys lets the shared callback threads go). PyGILState_Ensure then ends the
 * thread from inside this destructor, which terminates the process. So penlink's atexit hook
 * (penlink_prepare_exit, run before finalization) closes the door first and waits for any
 * thread already past it: from then on an ending thread leaves its state to the interpreter. */
std::atomic<bool> penlink_python_exiting{false};
std::atomic<int> penlink_thread_exits{0};

struct PenlinkThreadState {
    bool kept = false;
    ~PenlinkThreadState() {
        if (!kept) return;
        penlink_thread_exits.fetch_add(1);
#if PY_VERSION_HEX >= 0x030D0000
        const bool finalizing = Py_IsFinalizing();
#else
        const bool finalizing = _Py_IsFinalizing();
#endif
        if (!penlink_python_exiting.load() && Py_IsInitialized() && !finalizing) {
            PyGILState_Ensure();                      // GIL back for this thread (count 2)
            PyGILState_Release(PyGILState_LOCKED);    // count 1, GIL still held
            PyGILState_Release(PyGILState_UNLOCKED);  // count 0: state deleted, GIL released
        }
        penlink_thread_exits.fetch_sub(1);
    }
};
thread_local PenlinkThreadState penlink_thread_state;

/* Called inside a status or event upcall (GIL held), which only pens' callback threads make. */
void penlink_keep_thread_state() {
    if (penlink_thread_state.kept) return;
    PyGILState_Ensure();
    penlink_thread_state.kept = true;
}

}  // namespace

/* Status::telemetry as a tuple of telemetry_count TelemetryReading tuples (the empty tuple,
 * which Python shares, for a pen without module telemetry: no allocation then). */
static PyObject* penlink_telemetry_tuple(const penlink::Status& s) {
    const int count = std::max(0, std::min(s.telemetry_count, penlink::kMaxTelemetryReadings));
    PyObject* readings = PyTuple_New(count);
    if (readings == nullptr) return nullptr;
    for (int i = 0; i < count; ++i) {
        const penlink::TelemetryReading& r = s.telemetry[static_cast<std::size_t>(i)];
        PyObject* reading = penlink_new_tuple(penlink_python_types.telemetry_type, 3);
        if (reading == nullptr) {
            Py_DECREF(readings);
            return nullptr;
        }
        PyObject* slot = PyLong_FromLong(r.slot);
        PyObject* channel = PyLong_FromLong(r.channel);
        PyObject* raw = PyLong_FromLong(r.raw);
        PyTuple_SET_ITEM(reading, 0, slot);
        PyTuple_SET_ITEM(reading, 1, channel);
        PyTuple_SET_ITEM(reading, 2, raw);
        PyTuple_SET_ITEM(readings, i, reading);
        if (slot == nullptr || channel == nullptr || raw == nullptr) {
            Py_DECREF(readings);
            return nullptr;
        }
    }
    return readings;
}

static PyObject* penlink_status_tuple(const penlink::Status& s) {
    PyObject* t = penlink_new_tuple(penlink_python_types.status_type, 23);
    if (t == nullptr) return nullptr;
    PyObject* items[23] = {
        PyLong_FromUnsignedLong(s.sequence),
        PyLong_FromUnsignedLong(s.device_time_ms),
        penlink_enum_member(penlink_python_types.pen_states, static_cast<long>(s.state)),
        PyFloat_FromDouble(s.depth_set_mm),
        PyFloat_FromDouble(s.depth_actual_mm),
        PyFloat_FromDouble(s.speed_set_hz),
        PyFloat_FromDouble(s.speed_actual_hz),
        PyLong_FromLong(s.battery_percent),
        PyFloat_FromDouble(s.temperature_c),
        PyLong_FromUnsignedLong(s.cartridge_id),
        PyLong_FromUnsignedLong(s.cartridge_strokes),
        PyLong_FromUnsignedLong(s.cartridge_stroke_limit),
        penlink_bool(s.rf_enabled),
        penlink_bool(s.rf_delivering),
        PyLong_FromLong(s.rf_impedance_ohm),
        PyFloat_FromDouble(s.rf_energy_j),
        penlink_bool(s.led_enabled),
        penlink_bool(s.led_emitting),
        PyLong_FromLong(s.led_wavelength_nm),
        PyFloat_FromDouble(s.led_dose_j_cm2),
        PyLong_FromUnsignedLong(s.fault_bits),
        PyLong_FromLong(s.telemetry_count),
        penlink_telemetry_tuple(s),
    };
    bool failed = false;
    for (Py_ssize_t i = 0; i < 23; ++i) {
        failed = failed || items[i] == nullptr;
        PyTuple_SET_ITEM(t, i, items[i]);  // a NULL slot is fine for the DECREF below
    }
    if (failed) {
        Py_DECREF(t);
        return nullptr;
    }
    return t;
}

static PyObject* penlink_event_tuple(const penlink::Event& e) {
    PyObject* t = penlink_new_tuple(penlink_python_types.event_type, 3);
    if (t == nullptr) return nullptr;
    PyObject* kind =
        penlink_enum_member(penlink_python_types.event_kinds, static_cast<long>(e.kind));
    PyObject* detail = PyLong_FromUnsignedLong(e.detail);
    PyObject* time = PyLong_FromUnsignedLong(e.device_time_ms);
    PyTuple_SET_ITEM(t, 0, kind);
    PyTuple_SET_ITEM(t, 1, detail);
    PyTuple_SET_ITEM(t, 2, time);
    if (kind == nullptr || detail == nullptr || time == nullptr) {
        Py_DECREF(t);
        return nullptr;
    }
    return t;
}

/* Called once by the penlink package at import, before any pen exists. */
static PyObject* penlink_register_types(PyObject* status_type, PyObject* event_type,
                                       PyObject* pen_states, PyObject* event_kinds,
                                       PyObject* telemetry_type) {
    auto is_tuple_type = [](PyObject* type) {
        return PyType_Check(type) &&
               PyType_IsSubtype(reinterpret_cast<PyTypeObject*>(type), &PyTuple_Type);
    };
    if (!is_tuple_type(status_type) || !is_tuple_type(event_type) || !PyTuple_Check(pen_states) ||
        !PyTuple_Check(event_kinds) || !is_tuple_type(telemetry_type)) {
        PyErr_SetString(PyExc_TypeError,
                        "_register_types needs two tuple subclasses, two tuples and a tuple "
                        "subclass");
        return nullptr;
    }
    for (PyObject* object : {status_type, event_type, pen_states, event_kinds, telemetry_type})
        Py_INCREF(object);
    // Registered once per interpreter; the previous ones (if any) stay alive on purpose, a
    // callback thread may be building a tuple with them right now.
    penlink_python_types = {status_type, event_type, pen_states, event_kinds, telemetry_type};
    Py_RETURN_NONE;
}
%}

%typemap(directorin) const penlink::Status&
    "penlink_keep_thread_state(); $input = penlink_status_tuple($1);"
%typemap(directorin) const penlink::Event&
    "penlink_keep_thread_state(); $input = penlink_event_tuple($1);"
%typemap(out) penlink::Status "$result = penlink_status_tuple($1);"

/* Touches Python objects: must keep the GIL. */
%nothread penlink_register_types;
%rename(_register_types) penlink_register_types;
static PyObject* penlink_register_types(PyObject* status_type, PyObject* event_type,
                                       PyObject* pen_states, PyObject* event_kinds,
                                       PyObject* telemetry_type);

/* Internal: penlink/__init__.py registers this with atexit. It runs with the GIL released
 * (-threads), so a callback thread ending right now can finish with Python first. */
%inline %{
void penlink_prepare_exit() {
    penlink_python_exiting.store(true);
    while (penlink_thread_exits.load() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}
%}
