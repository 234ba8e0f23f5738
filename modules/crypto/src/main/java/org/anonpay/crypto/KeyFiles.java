// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.crypto;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Properties;

/** Key files (properties of hex keys) as cfg/keys holds them. */
public final class KeyFiles {
    private KeyFiles() {}

    /** The file's properties; none when it does not exist (the keys may all come from the environment). */
    public static Properties read(Path file) {
        Properties p = new Properties();
        if (!Files.isRegularFile(file)) return p;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
            return p;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    /** A hex key; the error names {@code what} but never echoes the value (it is a key). */
    public static byte[] hex(String value, String what) {
        try {
            return HexFormat.of().parseHex(value.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(what + " is not hex");
        }
    }
}
