package io.penlink;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys of the pens a program may drive, by serial number, for authenticated sessions
 * (docs/protocol.md section 16). Give them to {@link Pen#connect(String, ConnectOptions,
 * PenKeys)}. A key is 32 bytes; no key appears in a message or {@link #toString()}.
 */
public final class PenKeys {
    private final Map<String, byte[]> keys = new LinkedHashMap<>();
    private final List<String> keyFiles = new ArrayList<>();
    private boolean requireAuthentication;

    /** Adds (or replaces) the 32-byte key of the pen with this serial number. */
    public PenKeys add(String serial, byte[] key) {
        Convert.require(serial, "serial");
        Convert.require(key, "key");
        if (key.length != 32) {
            throw new InvalidArgumentException("the key for " + serial + " has " + key.length
                    + " bytes; a pen key has 32");
        }
        keys.put(serial, key.clone());
        return this;
    }

    /** Adds every "SERIAL HEX" line of a key file when connecting (refused if others may read it). */
    public PenKeys loadFile(Path path) {
        Convert.require(path, "path");
        keyFiles.add(path.toString());
        return this;
    }

    /** Refuse every pen no key is given for, even one that would run unauthenticated. */
    public PenKeys requireAuthentication(boolean required) {
        requireAuthentication = required;
        return this;
    }

    /** The serial numbers given a key with {@link #add}. */
    public List<String> serials() {
        return List.copyOf(keys.keySet());
    }

    @Override
    public String toString() {
        return "PenKeys(" + keys.size() + " keys, " + keyFiles.size() + " key files"
                + (requireAuthentication ? ", authentication required)" : ")");
    }

    void applyTo(NativeConnectOptions options) {
        HexFormat hex = HexFormat.of();
        for (Map.Entry<String, byte[]> entry : keys.entrySet()) {
            options.add_key_hex(entry.getKey(), hex.formatHex(entry.getValue()));
        }
        for (String file : keyFiles) {
            options.load_key_file(file);
        }
        options.setRequire_authentication(requireAuthentication);
    }
}
