/* See mavlink_codec.h. Compiled only when gen_mavlink.sh produced the headers. */
#include "mavlink_codec.h"

#include <common/mavlink.h>

const char* bench_mavlink_name(int message) {
    switch (message) {
        case BENCH_MAVLINK_GPS2_RAW:
            return "GPS2_RAW";
        case BENCH_MAVLINK_GPS_RAW_INT:
            return "GPS_RAW_INT";
        case BENCH_MAVLINK_ATTITUDE:
            return "ATTITUDE";
        default:
            return "?";
    }
}

size_t bench_mavlink_payload_length(int message) {
    switch (message) {
        case BENCH_MAVLINK_GPS2_RAW:
            return MAVLINK_MSG_ID_GPS2_RAW_LEN;
        case BENCH_MAVLINK_GPS_RAW_INT:
            return MAVLINK_MSG_ID_GPS_RAW_INT_LEN;
        case BENCH_MAVLINK_ATTITUDE:
            return MAVLINK_MSG_ID_ATTITUDE_LEN;
        default:
            return 0;
    }
}

size_t bench_mavlink_max_packet(void) { return MAVLINK_MAX_PACKET_LEN; }

/* Every field non-zero, the last ones too: MAVLink v2 drops a payload's trailing zero bytes,
 * and the comparison is with the whole payload on the wire. */
size_t bench_mavlink_encode(int message, uint32_t i, uint8_t* out) {
    mavlink_message_t msg;
    switch (message) {
        case BENCH_MAVLINK_GPS2_RAW:
            mavlink_msg_gps2_raw_pack(1, 1, &msg, 1000000u + i, 3, 473977418 + (int32_t)i,
                                      85455940 - (int32_t)i, 488000, 121, 167, 512, 9000, 14, 3,
                                      1200, 18000, 530000, 1500, 2500, 90, 16909060);
            break;
        case BENCH_MAVLINK_GPS_RAW_INT:
            mavlink_msg_gps_raw_int_pack(1, 1, &msg, 1000000u + i, 3, 473977418 + (int32_t)i,
                                         85455940 - (int32_t)i, 488000, 121, 167, 512, 9000, 14,
                                         530000, 1500, 2500, 90, 300, 18000);
            break;
        case BENCH_MAVLINK_ATTITUDE:
            mavlink_msg_attitude_pack(1, 1, &msg, 1000u + i, 0.1f + (float)i * 1e-6f, -0.2f, 1.5f,
                                      0.01f, 0.02f, -0.03f);
            break;
        default:
            return 0;
    }
    return mavlink_msg_to_send_buffer(out, &msg);
}

size_t bench_mavlink_decode(int message, const uint8_t* bytes, size_t size, uint64_t* sum) {
    mavlink_message_t msg;
    mavlink_status_t status;
    size_t completed = 0;
    for (size_t k = 0; k < size; ++k) {
        if (mavlink_parse_char(MAVLINK_COMM_0, bytes[k], &msg, &status) != MAVLINK_FRAMING_OK)
            continue;
        ++completed;
        switch (message) {
            case BENCH_MAVLINK_GPS2_RAW: {
                mavlink_gps2_raw_t decoded;
                mavlink_msg_gps2_raw_decode(&msg, &decoded);
                *sum += decoded.time_usec;
                break;
            }
            case BENCH_MAVLINK_GPS_RAW_INT: {
                mavlink_gps_raw_int_t decoded;
                mavlink_msg_gps_raw_int_decode(&msg, &decoded);
                *sum += decoded.time_usec;
                break;
            }
            default: {
                mavlink_attitude_t decoded;
                mavlink_msg_attitude_decode(&msg, &decoded);
                *sum += decoded.time_boot_ms;
                break;
            }
        }
    }
    return completed;
}
