// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.member;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import org.anonpay.crypto.KeyFiles;
import org.anonpay.crypto.VersionedAesGcm;

/**
 * National ID numbers at rest: AES-256-GCM, stored as {@code version(1) || nonce(12) || ciphertext || tag(16)}.
 * The associated data is the key version and the member's ID key, so a ciphertext copied into
 * another member's row does not decrypt there.
 *
 * <p>Keys from {@value #KEYS_FILE} ({@code national-id.key.<version>}, {@code national-id.key.current});
 * the environment variable {@value #ENV_KEY} ({@code hex} or {@code version:hex}) wins.
 */
public final class NationalIdCipher {

    public static final String KEYS_FILE = "dev-member.properties";
    public static final String ENV_KEY = "ANONPAY_MEMBER_KEY";
    private static final String KEY_PREFIX = "national-id.key.";

    private final VersionedAesGcm box;

    public NationalIdCipher(Map<Integer, byte[]> keys, int currentVersion) {
        this(new VersionedAesGcm("national ID", keys, currentVersion));
    }

    private NationalIdCipher(VersionedAesGcm box) {
        this.box = box;
    }

    public static NationalIdCipher load(Path keysDir, Map<String, String> env) {
        Properties p = KeyFiles.read(keysDir.resolve(KEYS_FILE));
        return new NationalIdCipher(VersionedAesGcm.fromProperties("national ID", p, KEY_PREFIX, env.get(ENV_KEY), ENV_KEY));
    }

    /** Sealed with the member's ID key as context: the value opens only in that member's row. */
    public byte[] encrypt(String nationalId, String memberIdKey) {
        byte[] clear = nationalId.getBytes(StandardCharsets.US_ASCII);
        try {
            return box.seal(clear, memberIdKey.getBytes(StandardCharsets.UTF_8));
        } finally {
            Arrays.fill(clear, (byte) 0);
        }
    }

    /** @throws IllegalStateException when the key version is not loaded or the data was altered or belongs to another member */
    public String decrypt(byte[] encrypted, String memberIdKey) {
        return new String(box.open(encrypted, memberIdKey.getBytes(StandardCharsets.UTF_8)), StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return "NationalIdCipher[current=" + box.currentVersion() + ", versions=" + box.versions() + "]";
    }
}
