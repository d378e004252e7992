/**
 * @file discovery.h
 * @brief Finding pens from C: the serial ports there are (pl_serial_ports) and pens on every
 * transport (pl_discover: USB serial ports whose VID/PID match a known pen, and Bluetooth LE
 * devices advertising the penlink service). penlink/discovery.hpp is the C++ form.
 *
 * The conventions of penlink.h hold (return codes, `out` first, pl_error_last(), versioned
 * structs). penlink.h includes this header, so including either is enough.
 */
#ifndef PENLINK_DISCOVERY_H
#define PENLINK_DISCOVERY_H

#include <stddef.h>
#include <stdint.h>

#include "penlink/penlink.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @name Serial ports */
/**@{*/
/** The pl_serial_port_info layout these headers declare. */
#define PL_SERIAL_PORT_INFO_VERSION 1
/** One serial port. Owned by its list (see pl_serial_port_list_get()), never allocated by the
 * caller: `version` is the library's PL_SERIAL_PORT_INFO_VERSION. Strings are owned by the
 * list; never NULL ("" when unknown). */
typedef struct pl_serial_port_info {
    unsigned version;          /**< PL_SERIAL_PORT_INFO_VERSION of the library that made the list */
    const char* path;          /**< e.g. "/dev/ttyACM0" */
    const char* description;   /**< OS or USB product description */
    int is_usb;                /**< non-zero: a USB serial device */
    int32_t usb_vid;           /**< USB vendor id, 0 if not USB */
    int32_t usb_pid;           /**< USB product id, 0 if not USB */
    const char* manufacturer;  /**< USB manufacturer, "" if unknown */
    const char* product;       /**< USB product, "" if unknown */
    const char* serial_number; /**< USB serial number, "" if unknown */
} pl_serial_port_info;

/** A snapshot of the machine's serial ports. Not thread-safe to free while others read it. */
typedef struct pl_serial_port_list pl_serial_port_list;

/** Enumerates the serial ports now (PL_ECONNECT if the OS refuses). Any thread. */
PENLINK_EXPORT int pl_serial_ports_enumerate(pl_serial_port_list** out);
/** Number of ports; 0 for NULL. */
PENLINK_EXPORT size_t pl_serial_port_list_count(const pl_serial_port_list* list);
/** The index-th port, or NULL if index >= count or list is NULL. Valid until the list is freed. */
PENLINK_EXPORT const pl_serial_port_info* pl_serial_port_list_get(const pl_serial_port_list* list,
                                                                  size_t index);
/** NULL is ignored. */
PENLINK_EXPORT void pl_serial_port_list_free(pl_serial_port_list* list);
/**@}*/

/** @name Discovery
 * Pens on every transport: USB serial ports with a known pen's VID/PID, and Bluetooth LE devices
 * advertising the penlink service (penlink/discovery.hpp is the C++ form). */
/**@{*/
/** How a discovered pen is reached. Never renumbered. */
typedef enum pl_transport_kind { PL_TRANSPORT_SERIAL = 0, PL_TRANSPORT_BLE = 1 } pl_transport_kind;

/** The pl_discovered_pen layout these headers declare. */
#define PL_DISCOVERED_PEN_VERSION 1
/** One discovered pen. Owned by its list (see pl_discovery_list_get()), never allocated by the
 * caller: `version` is the library's PL_DISCOVERED_PEN_VERSION. Strings are owned by the list;
 * never NULL ("" when unknown or not applicable). */
typedef struct pl_discovered_pen {
    unsigned version;          /**< PL_DISCOVERED_PEN_VERSION of the library that made the list */
    const char* url;           /**< ready for pl_pen_connect(), e.g. "ble://AA:BB:CC:DD:EE:FF" */
    const char* name;          /**< advertised BLE name or USB product */
    int transport;             /**< a pl_transport_kind */
    const char* address;       /**< BLE address; "" for serial */
    const char* adapter;       /**< BLE adapter, e.g. "hci0"; "" for serial */
    int has_rssi;              /**< 1 if rssi_dbm is known */
    int32_t rssi_dbm;          /**< signal strength in dBm, when has_rssi */
    int32_t usb_vid;           /**< USB vendor id; 0 for BLE */
    int32_t usb_pid;           /**< USB product id; 0 for BLE */
    const char* serial_number; /**< USB serial number where known */
} pl_discovered_pen;

/** Called as each pen is found, on the thread that called pl_discover(), before it returns.
 * pen is valid only during the call. */
typedef void (*pl_discovery_fn)(const pl_discovered_pen* pen, void* payload);

/** The pl_discovery_options layout these headers declare. */
#define PL_DISCOVERY_OPTIONS_VERSION 1
/** What pl_discover() looks for. Start from PL_DISCOVERY_OPTIONS_INIT or
 * pl_discovery_options_init(). */
typedef struct pl_discovery_options {
    unsigned version;         /**< PL_DISCOVERY_OPTIONS_VERSION */
    int serial;               /**< look at USB serial ports; 1 */
    int ble;                  /**< scan for BLE pens; 1 */
    const char* name_prefix;  /**< only pens whose name starts with it; NULL or "" for all */
    const char* ble_adapter;  /**< e.g. "hci1"; NULL or "" for the first powered adapter */
    pl_discovery_fn on_found; /**< progress, may be NULL */
    void* payload;            /**< given to on_found */
} pl_discovery_options;

/** pl_discovery_options with the defaults: serial and BLE, every name, first adapter. */
#define PL_DISCOVERY_OPTIONS_INIT \
    { PL_DISCOVERY_OPTIONS_VERSION, 1, 1, NULL, NULL, NULL, NULL }

/** Fills options with the defaults of the given version. PL_EINVAL if options is NULL or the
 * version unknown. Any thread. */
PENLINK_EXPORT int pl_discovery_options_init(pl_discovery_options* options, unsigned version);

/** A snapshot of discovered pens. Not thread-safe to free while others read it. */
typedef struct pl_discovery_list pl_discovery_list;

/** Finds pens for up to timeout_ms (BLE scans that long; serial answers at once). options may be
 * NULL for the defaults. A transport that cannot be searched (no BlueZ, adapter off) is skipped
 * with a log warning. PL_EINVAL for a negative timeout or a bad adapter name. Blocks the
 * calling thread; any thread. */
PENLINK_EXPORT int pl_discover(pl_discovery_list** out, int32_t timeout_ms,
                               const pl_discovery_options* options);
/** Number of pens; 0 for NULL. */
PENLINK_EXPORT size_t pl_discovery_list_count(const pl_discovery_list* list);
/** The index-th pen, or NULL if index >= count or list is NULL. Valid until the list is freed. */
PENLINK_EXPORT const pl_discovered_pen* pl_discovery_list_get(const pl_discovery_list* list,
                                                              size_t index);
/** NULL is ignored. */
PENLINK_EXPORT void pl_discovery_list_free(pl_discovery_list* list);
/** Adds a USB VID/PID (1-0xFFFF each) to the table pl_discover() matches serial ports against;
 * name (may be NULL) is shown for ports without a product string. PL_EINVAL otherwise. */
PENLINK_EXPORT int pl_usb_pen_register(int32_t vid, int32_t pid, const char* name);
/**@}*/

#ifdef __cplusplus
}
#endif

#endif /* PENLINK_DISCOVERY_H */
