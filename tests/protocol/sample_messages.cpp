#include "sample_messages.hpp"

#include <algorithm>

namespace penlink::protocol::test {

Info full_info() {
    Info info;
    info.model = "PL-1 Pro";
    info.serial = "PL1-000123";
    info.fw_major = 1;
    info.fw_minor = 4;
    info.fw_patch = 2;
    info.depth_min_um = 0;
    info.depth_max_um = 3000;
    info.depth_step_um = 50;
    info.speed_min_chz = 5000;
    info.speed_max_chz = 15000;
    info.watchdog_ms = 500;
    info.max_status_rate_hz = 20000;
    info.addons = kAddonRf | kAddonLed;
    info.rf_frequency_min_khz = 1000;
    info.rf_frequency_max_khz = 2000;
    info.rf_power_max_mw = 20000;
    info.rf_pulse_min_ms = 10;
    info.rf_pulse_max_ms = 500;
    info.rf_polarities = 0x03;
    info.led_channel_count = 3;
    info.led_channels[0] = {415, 500};
    info.led_channels[1] = {633, 1000};
    info.led_channels[2] = {830, 800};
    info.led_pulse_rate_min_chz = 100;
    info.led_pulse_rate_max_chz = 10000;
    return info;
}

const std::vector<NamedVector>& doc_vectors() {
    static const std::vector<NamedVector> vectors = [] {
        Status running;
        running.status_seq = 4242;
        running.timestamp_ms = 123456;
        running.state = PenState::Running;
        running.depth_set_um = 1250;
        running.depth_actual_um = 1250;
        running.speed_set_chz = 10000;
        running.speed_actual_chz = 9980;
        running.battery_pct = 87;
        running.temperature_cdeg = 3150;
        running.cartridge_id = 1001;
        running.cartridge_strokes = 52340;
        running.cartridge_stroke_limit = 2000000;
        running.rf_flags = 0x03;
        running.rf_impedance_ohm = 220;
        running.rf_energy_mj = 15000;
        running.led_flags = 0x03;
        running.led_wavelength_nm = 633;
        running.led_dose_uj_cm2 = 125000;
        running.fault_bits = 0;

        running.session_id = 0x5E551001;
        running.depth_limit_um = 1500;

        Status cold = running;
        cold.status_seq = 4243;
        cold.timestamp_ms = 123461;
        cold.state = PenState::Idle;
        cold.speed_actual_chz = 0;
        cold.temperature_cdeg = -525;  // -5.25 C: a negative i16
        cold.rf_flags = 0x01;
        cold.led_flags = 0x01;

        Settings settings;
        settings.session_id = 0x5E551001;
        settings.state = PenState::Running;
        settings.depth_set_um = 1250;
        settings.depth_limit_um = 1500;
        settings.speed_set_chz = 10000;
        settings.running = true;
        settings.rf = SetRf{true, RfPolarity::Bipolar, 1500, 8000, 100};
        settings.led = SetLed{false, 633, 0, LedMode::Continuous, 0, 0};
        settings.status_rate_hz = 50;
        settings.fault_bits = 0;

        Modules modules;
        modules.count = 1;
        modules.modules[0] = ModuleEntry{1, 0x4B21, 0x0003, 1, 2, 0, 1187, 0x8F3A11C5};

        const std::string chunk_text = R"({"schema":"penli)";
        DescriptorChunk chunk;
        chunk.slot = 1;
        chunk.offset = 0;
        chunk.total_size = 1187;
        chunk.length = static_cast<std::uint8_t>(chunk_text.size());
        std::copy(chunk_text.begin(), chunk_text.end(), chunk.bytes.begin());

        SetParams set_params;
        set_params.slot = 1;
        set_params.count = 2;
        set_params.params[0] = {0x8001, 1};
        set_params.params[1] = {0x8002, 120};

        GetParams get_params;
        get_params.slot = 1;
        get_params.count = 2;
        get_params.ids[0] = 0x8001;
        get_params.ids[1] = 0x8002;

        Params params;
        params.slot = 1;
        params.count = 2;
        params.params[0] = {0x8001, 1};
        params.params[1] = {0x8002, 120};

        Status with_telemetry = running;
        with_telemetry.status_seq = 4244;
        with_telemetry.timestamp_ms = 123466;
        with_telemetry.telemetry_count = 2;
        with_telemetry.telemetry[0] = {1, 0x80, 1475};
        with_telemetry.telemetry[1] = {1, 0x81, -40};

        using LK = LimitKind;
        return std::vector<NamedVector>{
            {"Hello",
             "Hello{min_version=2, max_version=2, host_nonce all zero: no authentication}, host "
             "seq 1 (a version-1 frame; section 16.9 has one with a nonce)",
             1, Hello{2, 2, {}}},
            {"HelloReply",
             "HelloReply{version=2, boot_id=0x1BADB002, session_id=0x5E551001, auth_mode=Open, "
             "no key, serial=\"SIM000001\"}, echoing seq 1 (a version-1 frame)",
             1,
             [] {
                 HelloReply reply;
                 reply.boot_id = 0x1BADB002;
                 reply.session_id = 0x5E551001;
                 reply.serial = "SIM000001";
                 return reply;
             }()},
            {"Hello from a v2..v3 host", "Hello{min_version=2, max_version=3}, host seq 1", 1,
             Hello{2, 3, {}}},
            {"Nack VersionMismatch",
             "Nack{request=Hello, reason=VersionMismatch, field=None, value=3, limit=2, "
             "limit_kind=Maximum}: a v2 pen answering Hello{3, 3}, echoing seq 1 (a version-1 "
             "frame)",
             1,
             Nack{MessageType::Hello, NackReason::VersionMismatch, Field::None, 3, 2, LK::Maximum}},
            {"GetInfo", "GetInfo{}, host seq 2", 2, GetInfo{}},
            {"Info",
             "Info echoing seq 2: model \"PL-1 Pro\", serial \"PL1-000123\", firmware 1.4.2, "
             "depth 0..3000 um in 50 um steps, speed 5000..15000 chz, watchdog 500 ms, "
             "max status rate 20000 Hz, addons RF|LED (0x03), RF 1000..2000 kHz, max 20000 mW, "
             "pulse 10..500 ms, polarities 0x03 (both), 3 LED channels 415 nm/500, "
             "633 nm/1000, 830 nm/800 (max irradiance in 0.1 mW/cm2), LED pulse rate "
             "100..10000 chz",
             2, full_info()},
            {"SetDepth 1.25 mm", "SetDepth{depth_um=1250}, host seq 3", 3, SetDepth{1250}},
            {"Ack", "Ack{request=SetDepth}, echoing seq 3", 3, Ack{MessageType::SetDepth}},
            {"SetDepth 3.5 mm", "SetDepth{depth_um=3500}, host seq 4", 4, SetDepth{3500}},
            {"Nack OutOfRange depth",
             "Nack{request=SetDepth, reason=OutOfRange, field=Depth, value=3500, limit=3000, "
             "limit_kind=Maximum}, echoing seq 4",
             4,
             Nack{MessageType::SetDepth, NackReason::OutOfRange, Field::Depth, 3500, 3000,
                  LK::Maximum}},
            {"Nack depth off the grid",
             "Nack{request=SetDepth, reason=OutOfRange, field=Depth, value=1260, limit=50, "
             "limit_kind=Step}: 1260 um is not on the 50 um grid, echoing seq 5",
             5,
             Nack{MessageType::SetDepth, NackReason::OutOfRange, Field::Depth, 1260, 50, LK::Step}},
            {"SetDepthLimit 1.5 mm", "SetDepthLimit{depth_limit_um=1500}, host seq 6", 6,
             SetDepthLimit{1500}},
            {"Nack depth above the session limit",
             "Nack{request=SetDepth, reason=OutOfRange, field=Depth, value=2000, limit=1500, "
             "limit_kind=SessionMaximum}, echoing seq 7",
             7,
             Nack{MessageType::SetDepth, NackReason::OutOfRange, Field::Depth, 2000, 1500,
                  LK::SessionMaximum}},
            {"SetSpeed 100 Hz", "SetSpeed{speed_chz=10000}, host seq 8", 8, SetSpeed{10000}},
            {"SetRf",
             "SetRf{enabled=1, polarity=Bipolar, frequency_khz=1500, power_mw=8000, pulse_ms=100}, "
             "host seq 9",
             9, SetRf{true, RfPolarity::Bipolar, 1500, 8000, 100}},
            {"Nack RF polarity not fitted",
             "Nack{request=SetRf, reason=OutOfRange, field=RfPolarity, value=0, limit=0x02, "
             "limit_kind=AllowedMask}: monopolar asked of a bipolar-only pen, echoing seq 10",
             10,
             Nack{MessageType::SetRf, NackReason::OutOfRange, Field::RfPolarity, 0, 2,
                  LK::AllowedMask}},
            {"SetLed pulsed 633 nm",
             "SetLed{enabled=1, wavelength_nm=633, irradiance_dmw_cm2=400, mode=Pulsed, "
             "pulse_rate_chz=1000, duty_permille=500}, host seq 11",
             11, SetLed{true, 633, 400, LedMode::Pulsed, 1000, 500}},
            {"Start", "Start{}, host seq 12", 12, Start{}},
            {"Nack FaultActive",
             "Nack{request=Start, reason=FaultActive, field=None, value=0x41, limit=0, "
             "limit_kind=FaultBits}: OverTemperature (bit 0) and Watchdog (bit 6) latched, "
             "echoing seq 12",
             12,
             Nack{MessageType::Start, NackReason::FaultActive, Field::None, 0x41, 0,
                  LK::FaultBits}},
            {"Nack CartridgeExhausted",
             "Nack{request=Start, reason=CartridgeExhausted, field=None, value=2000000, "
             "limit=2000000, limit_kind=Maximum}, echoing seq 13",
             13,
             Nack{MessageType::Start, NackReason::CartridgeExhausted, Field::None, 2000000, 2000000,
                  LK::Maximum}},
            {"Nack Superseded",
             "Nack{request=SetDepth, reason=Superseded, field=None, value=16, limit=0, "
             "limit_kind=None}: a resent SetDepth seq 15 arriving after SetDepth seq 16 was "
             "applied, echoing seq 15",
             15, Nack{MessageType::SetDepth, NackReason::Superseded, Field::None, 16, 0, LK::None}},
            {"Heartbeat", "Heartbeat{}, host seq 17", 17, Heartbeat{}},
            {"Nack NoSession",
             "Nack{request=Heartbeat, reason=NoSession, field=None, value=0, limit=0, "
             "limit_kind=None}: the pen restarted, echoing seq 17",
             17, Nack{MessageType::Heartbeat, NackReason::NoSession, Field::None, 0, 0, LK::None}},
            {"Heartbeat with 0x00 in seq and CRC",
             "Heartbeat{}, host seq 0x1200 (seq bytes 00 12, CRC 0x002F stored 2f 00)", 0x1200,
             Heartbeat{}},
            {"SubscribeStatus 1000 Hz", "SubscribeStatus{rate_hz=1000}, host seq 18", 18,
             SubscribeStatus{1000}},
            {"Status",
             "Status of a running pen, pen frame counter 0x0123: status_seq 4242, timestamp_ms "
             "123456, state Running, depth set/actual 1250/1250 um, speed set/actual "
             "10000/9980 chz, battery 87 %, temperature 3150 (31.50 C), cartridge 1001 with "
             "52340 of 2000000 strokes used, rf_flags 0x03, impedance 220 ohm, RF energy "
             "15000 mJ, led_flags 0x03, LED 633 nm, dose 125000 uJ/cm2, no faults, session "
             "0x5E551001, depth limit 1500 um",
             0x0123, running},
            {"Status with a negative temperature",
             "The next Status, pen frame counter 0x0124: status_seq 4243, timestamp_ms 123461, "
             "state Idle, speed actual 0, temperature -525 (-5.25 C, i16 0xFDF3), rf_flags "
             "0x01, led_flags 0x01, otherwise as above",
             0x0124, cold},
            {"Stop", "Stop{}, host seq 19", 19, Stop{}},
            {"EmergencyStop", "EmergencyStop{}, host seq 20", 20, EmergencyStop{}},
            {"Event",
             "Event{kind=EmergencyStopped, detail=0, timestamp_ms=123789}, pen frame counter "
             "0x0125",
             0x0125, Event{EventKind::EmergencyStopped, 0, 123789}},
            {"ClearEmergencyStop", "ClearEmergencyStop{}, host seq 21", 21, ClearEmergencyStop{}},
            {"Event WatchdogExpired",
             "Event{kind=WatchdogExpired, detail=500, timestamp_ms=200000}, pen frame counter "
             "0x0200",
             0x0200, Event{EventKind::WatchdogExpired, 500, 200000}},
            {"ClearFaults", "ClearFaults{}, host seq 22", 22, ClearFaults{}},
            {"GetSettings", "GetSettings{}, host seq 23", 23, GetSettings{}},
            {"Settings",
             "Settings echoing seq 23: session 0x5E551001, state Running, depth set 1250 um, "
             "limit 1500 um, speed 10000 chz, running, RF on bipolar 1500 kHz 8000 mW 100 ms, "
             "LED off (633 nm, 0, continuous), status rate 50 Hz, no faults",
             23, settings},
            {"EndSession", "EndSession{}, host seq 24", 24, EndSession{}},
            {"GetModules", "GetModules{}, host seq 25", 25, GetModules{}},
            {"Modules",
             "Modules echoing seq 25: one module in slot 1, vendor 0x4B21, model 0x0003, "
             "firmware 1.2.0, a 1187-byte descriptor with CRC-32 0x8F3A11C5",
             25, modules},
            {"ReadDescriptor", "ReadDescriptor{slot=1, offset=0, length=16}, host seq 26", 26,
             ReadDescriptor{1, 0, 16}},
            {"DescriptorChunk",
             "DescriptorChunk echoing seq 26: slot 1, offset 0, total_size 1187, the 16 bytes "
             "`{\"schema\":\"penli`",
             26, chunk},
            {"SetParams",
             "SetParams{slot=1, count=2, (0x8001, 1), (0x8002, 120)}: a cooling tip's `enabled` "
             "= true and `setpoint_c` = 12.0 degC (scale 0.1), host seq 27",
             27, set_params},
            {"Nack parameter below its minimum",
             "Nack{request=SetParams, reason=OutOfRange, field=Parameter, value=20, limit=40, "
             "limit_kind=Minimum, slot=1, param_id=0x8002}: setpoint 2.0 degC below 4.0 degC, "
             "echoing seq 27; nothing of the request was applied",
             27,
             Nack{MessageType::SetParams, NackReason::OutOfRange, Field::Parameter, 20, 40,
                  LK::Minimum, 1, 0x8002}},
            {"Nack InterlockActive",
             "Nack{request=SetParams, reason=InterlockActive, field=Parameter, value=1, "
             "limit=0, limit_kind=Interlock, slot=1, param_id=0x8001}: interlock 0 of the "
             "module's descriptor refused `enabled` = 1, echoing seq 27",
             27,
             Nack{MessageType::SetParams, NackReason::InterlockActive, Field::Parameter, 1, 0,
                  LK::Interlock, 1, 0x8001}},
            {"GetParams", "GetParams{slot=1, count=2, ids 0x8001, 0x8002}, host seq 28", 28,
             get_params},
            {"Params", "Params{slot=1, count=2, (0x8001, 1), (0x8002, 120)}, echoing seq 28", 28,
             params},
            {"Status with module telemetry",
             "The Status vector's pen one frame later (pen frame counter 0x0126, status_seq 4244, "
             "timestamp_ms 123466) with two telemetry values: slot 1 channel 0x80 raw 1475, "
             "slot 1 channel 0x81 raw -40",
             0x0126, with_telemetry},
            {"Event ModuleAttached",
             "Event{kind=ModuleAttached, detail=1 (the slot), timestamp_ms=130000}, pen frame "
             "counter 0x0127",
             0x0127, Event{EventKind::ModuleAttached, 1, 130000}},
        };
    }();
    return vectors;
}

}  // namespace penlink::protocol::test
