package io.penlink;

/**
 * Something that happened on the pen.
 *
 * @param detail fault bit index, cartridge id, button index or watchdog period in ms,
 *     depending on kind
 */
public record Event(EventKind kind, long detail, long deviceTimeMs) {}
