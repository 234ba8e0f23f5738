// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.member;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id (RFC 9106) hashes of member secrets (password, security answer) as PHC strings,
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>} (unpadded standard Base64). Each hash keeps
 * its own parameters, so raising the cost later leaves old hashes verifiable.
 */
public final class Argon2id {

    /** Memory in KiB, passes, lanes. */
    public record Params(int memoryKib, int iterations, int parallelism) {

        /** OWASP Password Storage Cheat Sheet minimum for Argon2id. */
        public static final Params OWASP = new Params(19_456, 2, 1);

        public Params {
            if (parallelism < 1 || parallelism > 64) throw new IllegalArgumentException("argon2 parallelism must be 1-64");
            if (iterations < 1 || iterations > 100) throw new IllegalArgumentException("argon2 iterations must be 1-100");
            // RFC 9106: at least 8 KiB per lane; the upper bound keeps a bad setting from exhausting the heap
            if (memoryKib < 8 * parallelism || memoryKib > 4 * 1024 * 1024) throw new IllegalArgumentException("argon2 memory must be 8*p KiB to 4 GiB");
        }
    }

    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final String PREFIX = "$argon2id$v=19$";
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODE = Base64.getDecoder();

    private final Params params;
    private final SecureRandom random = new SecureRandom();

    public Argon2id(Params params) {
        this.params = params;
    }

    /** A new hash of {@code secret} with a fresh random salt. */
    public String hash(String secret) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = derive(secret, salt, params, HASH_BYTES);
        return PREFIX + "m=" + params.memoryKib() + ",t=" + params.iterations() + ",p=" + params.parallelism()
                + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    /**
     * Whether {@code secret} matches {@code phc}, compared in constant time.
     *
     * @throws IllegalArgumentException if {@code phc} is not an Argon2id PHC string (a corrupt row, not a wrong secret)
     */
    public static boolean verify(String phc, String secret) {
        Parsed stored = parse(phc);
        byte[] candidate = derive(secret, stored.salt, stored.params, stored.hash.length);
        return MessageDigest.isEqual(candidate, stored.hash);
    }

    private record Parsed(Params params, byte[] salt, byte[] hash) {}

    private static Parsed parse(String phc) {
        if (phc == null || !phc.startsWith(PREFIX)) throw new IllegalArgumentException("not an argon2id v19 PHC string");
        String[] parts = phc.substring(PREFIX.length()).split("\\$");
        if (parts.length != 3) throw new IllegalArgumentException("argon2id PHC string needs params, salt and hash");
        int m = -1, t = -1, p = -1;
        for (String kv : parts[0].split(",")) {
            String[] pair = kv.split("=", 2);
            if (pair.length != 2) throw new IllegalArgumentException("bad argon2id parameter");
            int value = Integer.parseInt(pair[1]);
            switch (pair[0]) {
                case "m" -> m = value;
                case "t" -> t = value;
                case "p" -> p = value;
                default -> throw new IllegalArgumentException("unknown argon2id parameter " + pair[0]);
            }
        }
        byte[] salt = B64_DECODE.decode(parts[1]);
        byte[] hash = B64_DECODE.decode(parts[2]);
        if (salt.length < 8 || hash.length < 16) throw new IllegalArgumentException("argon2id salt or hash too short");
        return new Parsed(new Params(m, t, p), salt, hash);
    }

    private static byte[] derive(String secret, byte[] salt, Params p, int length) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(p.memoryKib())
                .withIterations(p.iterations())
                .withParallelism(p.parallelism())
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] clear = secret.getBytes(StandardCharsets.UTF_8);
        try {
            byte[] out = new byte[length];
            generator.generateBytes(clear, out);
            return out;
        } finally {
            Arrays.fill(clear, (byte) 0);
        }
    }
}
