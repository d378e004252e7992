/**
 * @file auth.h
 * @brief Authenticated sessions from C (docs/protocol.md section 16): the keys of the pens a
 * program may drive, what the session's checks rejected, and key rotation.
 *
 * The conventions of penlink.h hold (return codes, `out` first, pl_error_last(), threads).
 * A key is 32 bytes (64 hex digits in a key file: lines "SERIAL HEX", '#' comments, refused if
 * others may read it). No key ever appears in pl_error_last() or a log line.
 *
 * Ownership: pl_keys is owned by the program (pl_keys_new() / pl_keys_free(), NULL-safe) and
 * checked against the registry of live handles like a pl_pen. Give it to pl_pen_connect() in
 * pl_connect_options.keys (version 3); the pen keeps its own copy, so the keys may be freed
 * right after. pl_keys_free() wipes the keys from memory.
 *
 * Connect fails with PL_EAUTHREQUIRED (the pen requires authentication and no key was given for
 * its serial), PL_EKEY (the key given is not the pen's key) or PL_ENOTAUTHENTIC (the pen could
 * not prove it holds its key).
 */
#ifndef PENLINK_AUTH_H
#define PENLINK_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "penlink/penlink.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The keys of pens by serial number. */
typedef struct pl_keys pl_keys;

/** Creates an empty key set in *out. */
PENLINK_EXPORT int pl_keys_new(pl_keys** out);
/** Adds or replaces the key (key_size must be 32) of the pen with this serial number. */
PENLINK_EXPORT int pl_keys_add(pl_keys* keys, const char* serial, const uint8_t* key,
                               size_t key_size);
/** The same from 64 hex digits. */
PENLINK_EXPORT int pl_keys_add_hex(pl_keys* keys, const char* serial, const char* hex);
/** Adds every "SERIAL HEX" line of a key file; PL_EINVAL naming the file and line if it cannot be
 * read, others may read or change it (chmod 600), or a line is malformed. */
PENLINK_EXPORT int pl_keys_load_file(pl_keys* keys, const char* path);
/** How many pens the set has a key for (0 for NULL or a freed handle). */
PENLINK_EXPORT size_t pl_keys_count(const pl_keys* keys);
/** Wipes and frees the keys. NULL is a no-op. */
PENLINK_EXPORT void pl_keys_free(pl_keys* keys);

/** @name What the authenticated-session checks saw in the current session. */
/**@{*/
/** The pl_security_stats layout these headers declare. */
#define PL_SECURITY_STATS_VERSION 1
/** What the authenticated-session checks rejected in the current session (counts start again
 * at a reconnect). Allocated and initialised by the program, filled by the library. */
typedef struct pl_security_stats {
    unsigned version;         /**< PL_SECURITY_STATS_VERSION */
    int authenticated;        /**< 1 if the session is authenticated */
    uint64_t forged;          /**< frames whose tag did not verify */
    uint64_t replayed;        /**< frames with a counter already used or too old */
    uint64_t unauthenticated; /**< unsealed frames in an authenticated session, or sealed ones
                                   outside one */
    uint32_t rejected_by_pen; /**< what the pen last reported (PL_EVENT_SECURITY_REJECTED) */
} pl_security_stats;
/** pl_security_stats with every count 0. */
#define PL_SECURITY_STATS_INIT \
    { PL_SECURITY_STATS_VERSION, 0, 0, 0, 0, 0 }
/**@}*/
/** Prepares stats for pl_pen_security_stats() (pass PL_SECURITY_STATS_VERSION). */
PENLINK_EXPORT int pl_security_stats_init(pl_security_stats* stats, unsigned version);
/** Fills *out (initialised with pl_security_stats_init()). */
PENLINK_EXPORT int pl_pen_security_stats(pl_pen* pen, pl_security_stats* out);

/** Installs a new key (key_size must be 32) on the pen over its authenticated session (sent
 * AES key-wrapped). The pen uses it from its next session on, and so does this pl_pen for
 * pl_pen_reconnect(). PL_EAUTHREQUIRED if the session is not authenticated. */
PENLINK_EXPORT int pl_pen_change_key(pl_pen* pen, const uint8_t* key, size_t key_size);

#ifdef __cplusplus
}
#endif

#endif /* PENLINK_AUTH_H */
