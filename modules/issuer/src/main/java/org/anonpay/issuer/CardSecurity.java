// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.issuer;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Properties;
import org.jpos.security.EncryptedPIN;
import org.jpos.security.SMAdapter;
import org.jpos.security.SMException;
import org.jpos.security.SecureDESKey;
import org.jpos.security.jceadapter.JCESecurityModule;

/**
 * The issuer's card security functions on a jPOS security module ({@link SMAdapter}; in
 * development the software {@link JCESecurityModule} with the LMK of the keys folder):
 * CVV2 (Visa CVV with service code 000), Visa PVV (PVKI from the key file) and the
 * verification of ISO 9564 format 0 PIN blocks that arrive under the zone PIN key.
 *
 * <p>Keys file {@value #KEYS_FILE}: {@code lmk.file}, {@code cvk.a}/{@code cvk.b} and
 * {@code pvk.a}/{@code pvk.b} (single-length DES under the LMK, each with {@code .kcv}),
 * {@code pvki}, {@code zpk.clear.file} (clear double-length ZPK, hex, formed under the LMK here).
 *
 * <p>Nothing here logs: the adapter's own logging is off (no logger, no debug), because its log
 * events would carry clear PINs. Exceptions from the adapter are never passed on with their
 * message for the same reason.
 */
public final class CardSecurity {

    public static final String KEYS_FILE = "dev-keys.properties";
    public static final int PIN_LENGTH = 4;

    private static final String CVV2_SERVICE_CODE = "000";
    private static final DateTimeFormatter YYMM = DateTimeFormatter.ofPattern("yyMM");

    private final SMAdapter<SecureDESKey> sm;
    private final SecureDESKey cvkA;
    private final SecureDESKey cvkB;
    private final SecureDESKey pvkA;
    private final SecureDESKey pvkB;
    private final SecureDESKey zpk;
    private final int pvki;

    /**
     * Loads the LMK and the keys of {@code keysDir} and checks every key's check value.
     *
     * @throws IllegalStateException when a file is missing or a key does not match its check value
     */
    public CardSecurity(Path keysDir) {
        Properties keys = readKeys(keysDir.resolve(KEYS_FILE));
        this.sm = securityModule(keysDir.resolve(required(keys, "lmk.file")));
        this.cvkA = underLmk(keys, "cvk.a", SMAdapter.TYPE_CVK);
        this.cvkB = underLmk(keys, "cvk.b", SMAdapter.TYPE_CVK);
        this.pvkA = underLmk(keys, "pvk.a", SMAdapter.TYPE_PVK);
        this.pvkB = underLmk(keys, "pvk.b", SMAdapter.TYPE_PVK);
        this.pvki = Integer.parseInt(required(keys, "pvki"));
        if (pvki < 0 || pvki > 9) throw new IllegalStateException("pvki must be one digit");
        this.zpk = zonePinKey(keysDir.resolve(required(keys, "zpk.clear.file")));
    }

    private static Properties readKeys(Path file) {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Properties p = new Properties();
            p.load(in);
            return p;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read card security keys " + file + ": " + e.getMessage(), e);
        }
    }

    private static String required(Properties keys, String name) {
        String value = keys.getProperty(name);
        if (value == null || value.isBlank()) throw new IllegalStateException(KEYS_FILE + ": " + name + " is missing");
        return value.trim();
    }

    private static SMAdapter<SecureDESKey> securityModule(Path lmkFile) {
        if (!Files.isRegularFile(lmkFile)) throw new IllegalStateException("LMK file " + lmkFile + " does not exist");
        try {
            return new JCESecurityModule(lmkFile.toString());
        } catch (SMException e) {
            throw new IllegalStateException("cannot load the LMK from " + lmkFile, e);
        }
    }

    private SecureDESKey underLmk(Properties keys, String name, String type) {
        SecureDESKey key = new SecureDESKey(SMAdapter.LENGTH_DES, type, required(keys, name), required(keys, name + ".kcv"));
        byte[] actual = check(() -> sm.generateKeyCheckValue(key), name);
        byte[] expected = key.getKeyCheckValue();
        if (!Arrays.equals(Arrays.copyOf(actual, expected.length), expected)) {
            throw new IllegalStateException(name + " does not match its check value: wrong LMK or damaged key file");
        }
        return key;
    }

    private SecureDESKey zonePinKey(Path clearKeyFile) {
        String clear;
        try {
            clear = Files.readString(clearKeyFile, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the zone PIN key " + clearKeyFile, e);
        }
        if (!clear.matches("[0-9A-Fa-f]{32}")) throw new IllegalStateException(clearKeyFile + " must hold a double-length key as 32 hex digits");
        return check(() -> sm.formKEYfromClearComponents(SMAdapter.LENGTH_DES3_2KEY, SMAdapter.TYPE_ZPK, clear.toUpperCase()), "ZPK");
    }

    /** CVV2: the Visa CVV of the PAN and expiry (YYMM) with service code 000. */
    public String cvv2(String pan, YearMonth expiry) {
        assertPan(pan);
        return check(() -> sm.calculateCVD(pan, cvkA, cvkB, expiry.format(YYMM), CVV2_SERVICE_CODE), "CVV2");
    }

    /** True when {@code cvv2} is the card's CVV2; anything but three digits is simply wrong. */
    public boolean verifyCvv2(String pan, YearMonth expiry, String cvv2) {
        if (cvv2 == null || cvv2.length() != 3 || !Luhn.allDigits(cvv2)) return false;
        return constantTimeEquals(cvv2(pan, expiry), cvv2);
    }

    /**
     * The Visa PVV of {@code pin} (4 digits) for the card. The caller wipes {@code pin}; the
     * adapter's API needs the PIN as a String for a moment, which cannot be wiped.
     */
    public String pvv(String pan, char[] pin) {
        assertPan(pan);
        assert pin != null && pin.length == PIN_LENGTH && Luhn.allDigits(new String(pin)) : "the PIN is 4 digits";
        EncryptedPIN underLmk = check(() -> sm.encryptPIN(new String(pin), pan), "PIN encryption");
        return check(() -> sm.calculatePVV(underLmk, pvkA, pvkB, pvki), "PVV");
    }

    /**
     * Checks an ISO 9564 format 0 PIN block, encrypted under the zone PIN key, against the card's
     * PVV. A PIN whose length is not {@value #PIN_LENGTH} is wrong even when its first four digits
     * match (the Visa PVV only covers the first four).
     */
    public PinVerification verifyPinBlock(String pan, byte[] pinBlockUnderZpk, String pvv) {
        assertPan(pan);
        if (pinBlockUnderZpk == null || pinBlockUnderZpk.length != 8) return PinVerification.FORMAT_ERROR;
        EncryptedPIN underLmk;
        try {
            underLmk = sm.importPIN(new EncryptedPIN(pinBlockUnderZpk, SMAdapter.FORMAT01, pan), zpk);
        } catch (SMException e) {
            // the keys were checked at start: what fails here is the block (padding, control field, length)
            return PinVerification.FORMAT_ERROR;
        }
        if (!hasCardPinLength(underLmk)) return PinVerification.WRONG_PIN;
        String actual = check(() -> sm.calculatePVV(underLmk, pvkA, pvkB, pvki), "PVV");
        return constantTimeEquals(actual, pvv) ? PinVerification.VERIFIED : PinVerification.WRONG_PIN;
    }

    private boolean hasCardPinLength(EncryptedPIN underLmk) {
        return check(() -> sm.decryptPIN(underLmk), "PIN length").length() == PIN_LENGTH;
    }

    /** The PIN verification key index the PVVs are calculated with. */
    public int pvki() {
        return pvki;
    }

    private static boolean constantTimeEquals(String a, String b) {
        return b != null && MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }

    private static void assertPan(String pan) {
        assert pan != null && pan.length() >= 13 && pan.length() <= 19 && Luhn.allDigits(pan) : "a card number is 13-19 digits";
    }

    @FunctionalInterface
    private interface SmCall<T> {
        T call() throws SMException;
    }

    /**
     * Runs an adapter call whose failure is an operational fault (keys, provider), not a
     * cardholder's mistake. The adapter's message is dropped: it can hold a PIN or a PAN.
     */
    private static <T> T check(SmCall<T> call, String what) {
        try {
            return call.call();
        } catch (SMException e) {
            throw new IllegalStateException("security module failed: " + what + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public String toString() {
        return "CardSecurity[jPOS " + sm.getClass().getSimpleName() + ", pvki=" + pvki + ", zpk kcv="
                + HexFormat.of().withUpperCase().formatHex(zpk.getKeyCheckValue()) + "]";
    }
}
