// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.member;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Argon2idTest {

    @Test
    void productionParametersHashAndVerify() {
        Argon2id hasher = new Argon2id(Argon2id.Params.OWASP);
        String hash = hasher.hash("Secret123");
        assertTrue(hash.matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}"), hash);
        assertTrue(Argon2id.verify(hash, "Secret123"));
        assertFalse(Argon2id.verify(hash, "secret123"));
        assertFalse(Argon2id.verify(hash, "Secret1234"));
    }

    @Test
    void saltIsRandom() {
        Argon2id hasher = new Argon2id(new Argon2id.Params(1024, 1, 1));
        assertNotEquals(hasher.hash("Secret123"), hasher.hash("Secret123"));
    }

    @Test
    void hashKeepsItsOwnParameters() {
        String old = new Argon2id(new Argon2id.Params(1024, 1, 1)).hash("Secret123");
        // a server configured with other costs still verifies the old hash
        assertTrue(Argon2id.verify(old, "Secret123"));
    }

    @Test
    void knownAnswerOfTheReferenceImplementation() {
        // $argon2id$ string produced by the reference implementation (argon2 CLI):
        // echo -n password | argon2 somesalt -id -t 2 -m 16 -p 1 -l 32 -e   (m=2^16 KiB)
        String reference = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
        assertTrue(Argon2id.verify(reference, "password"));
        assertFalse(Argon2id.verify(reference, "Password"));
    }

    @Test
    void corruptStoredHashIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> Argon2id.verify("$2a$10$bcrypt", "x"));
        assertThrows(IllegalArgumentException.class, () -> Argon2id.verify("$argon2id$v=19$m=1024,t=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "x"));
    }
}
