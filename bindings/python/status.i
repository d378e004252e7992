/* Status and Event cross into Python as plain tuples: one allocation instead of a SWIG proxy
 * per field read, and nothing pointing into C++ memory that is gone once the callback returns
 * (the penlink package's Status and Event classes are tuple subclasses with named fields).
 * The tuple order is the declaration order of penlink/types.hpp; keep penlink/types.py in
 * step with it. */

%{
static PyObject* penlink_status_tuple(const penlink::Status& s) {
    return Py_BuildValue("(IIiddddidIIINNidNNidI)", s.sequence, s.device_time_ms,
                         static_cast<int>(s.state), s.depth_set_mm, s.depth_actual_mm,
                         s.speed_set_hz, s.speed_actual_hz, static_cast<int>(s.battery_percent),
                         s.temperature_c, s.cartridge_id, s.cartridge_strokes,
                         s.cartridge_stroke_limit, PyBool_FromLong(s.rf_enabled),
                         PyBool_FromLong(s.rf_delivering), static_cast<int>(s.rf_impedance_ohm),
                         s.rf_energy_j, PyBool_FromLong(s.led_enabled),
                         PyBool_FromLong(s.led_emitting), static_cast<int>(s.led_wavelength_nm),
                         s.led_dose_j_cm2, s.fault_bits);
}

static PyObject* penlink_event_tuple(const penlink::Event& e) {
    return Py_BuildValue("(iII)", static_cast<int>(e.kind), e.detail, e.device_time_ms);
}
%}

%typemap(directorin) const penlink::Status& "$input = penlink_status_tuple($1);"
%typemap(directorin) const penlink::Event& "$input = penlink_event_tuple($1);"
%typemap(out) penlink::Status "$result = penlink_status_tuple($1);"
