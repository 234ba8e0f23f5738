// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.anonpay.db.Database;
import org.anonpay.issuer.CardIssuer;
import org.anonpay.issuer.IssueRequest;
import org.anonpay.issuer.IssueResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Issues one card; its full number and CVV2 only go into the card carrier file, if asked. */
@Command(name = "issue-card", mixinStandardHelpOptions = true,
        description = {"Issues a card. The 4-digit PIN is read from --pin-file or standard input "
                + "(asked twice on a terminal). Prints card id, masked number and expiry; the full "
                + "number and CVV2 are only written to --card-carrier."})
final class IssueCardCommand implements Callable<Integer> {

    private static final int PIN_LINE_MAX = 32;
    private static final DateTimeFormatter CARRIER_EXPIRY = DateTimeFormatter.ofPattern("MM/yy");

    @ParentCommand
    Ops ops;

    @Spec
    CommandSpec spec;

    @Mixin
    OpsEnvironment env;

    @Option(names = "--program", required = true, paramLabel = "ID", description = "card program id, e.g. KRW-PREPAID")
    String programId;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "card name, up to 15 characters (Hangul allowed)")
    String cardName;

    @Option(names = "--holder-ref", paramLabel = "REF", description = "the wallet member the card belongs to")
    String holderRef;

    @Option(names = "--pin-file", paramLabel = "FILE", description = "file whose first line is the 4-digit PIN")
    Path pinFile;

    @Option(names = "--card-carrier", paramLabel = "FILE",
            description = "new file (mode 0600) to receive the full card number, expiry and CVV2 for the cardholder")
    Path cardCarrier;

    @Option(names = "--requested-pan", paramLabel = "PAN", description = "demo data only: issue this card number")
    String requestedPan;

    @Option(names = "--requested-expiry", paramLabel = "YYYY-MM", description = "demo data only: with this expiry")
    YearMonth requestedExpiry;

    @Override
    public Integer call() throws IOException {
        // claim the carrier file first: a card whose CVV2 cannot be handed over is no use
        if (cardCarrier != null) createCarrier();
        IssueResult result = null;
        try {
            result = issue();
        } finally {
            if (cardCarrier != null && (result == null || !result.issued())) Files.deleteIfExists(cardCarrier);
        }
        return report(result);
    }

    private IssueResult issue() throws IOException {
        char[] pin = readPin();
        try (Database db = env.openDatabase()) {
            CardIssuer issuer = env.issuer(env.programs());
            IssueRequest request = IssueRequest.of(programId, cardName, pin, holderRef)
                    .withRequestedCard(requestedPan, requestedExpiry);
            return db.inTransaction(s -> issuer.issue(s, request));
        } finally {
            Arrays.fill(pin, '\0');
        }
    }

    private int report(IssueResult result) throws IOException {
        var out = spec.commandLine().getOut();
        if (!result.issued()) {
            spec.commandLine().getErr().println("card not issued: " + result.status());
            return Ops.REFUSED;
        }
        out.println("card " + result.cardId() + " issued: " + result.maskedPan() + ", expires " + result.expiry()
                + ", program " + programId + ", ledger account " + result.ledgerAccountId());
        if (cardCarrier != null) {
            writeCarrier(result);
            out.println("card carrier written to " + cardCarrier + " (mode 0600): hand it over, then destroy it");
        }
        return 0;
    }

    private void createCarrier() throws IOException {
        try {
            Files.createFile(cardCarrier, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            throw new ParameterException(spec.commandLine(), "card carrier file " + cardCarrier + " exists already: give a new file");
        }
    }

    private void writeCarrier(IssueResult result) throws IOException {
        String carrier = "anonpay card carrier: for the cardholder only. Destroy after handing over.\n"
                + "card name:   " + cardName.strip() + "\n"
                + "card number: " + grouped(result.pan()) + "\n"
                + "valid thru:  " + result.expiry().format(CARRIER_EXPIRY) + "\n"
                + "CVV2:        " + result.cvv2() + "\n";
        // into the 0600 file created before: never CREATE here, which would use the umask
        Files.writeString(cardCarrier, carrier, StandardCharsets.UTF_8, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    private static String grouped(String pan) {
        return pan.replaceAll("(\\d{4})(?=\\d)", "$1 ");
    }

    /** The PIN as chars (never a String): from --pin-file, the terminal (twice) or standard input. */
    private char[] readPin() throws IOException {
        if (pinFile != null) {
            try (InputStream in = Files.newInputStream(pinFile)) {
                return firstLine(in);
            }
        }
        if (ops.stdin == System.in && System.console() != null) return pinFromTerminal();
        return firstLine(ops.stdin);
    }

    private char[] pinFromTerminal() {
        char[] first = System.console().readPassword("card PIN (4 digits): ");
        char[] second = System.console().readPassword("card PIN again: ");
        try {
            if (first == null || !Arrays.equals(first, second)) {
                throw new ParameterException(spec.commandLine(), "the two PINs differ");
            }
            return first.clone();
        } finally {
            if (first != null) Arrays.fill(first, '\0');
            if (second != null) Arrays.fill(second, '\0');
        }
    }

    /** Reads up to the first line end without building a String; the buffer is wiped. */
    private char[] firstLine(InputStream in) throws IOException {
        Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
        char[] buffer = new char[PIN_LINE_MAX];
        int length = 0;
        try {
            for (int c = reader.read(); c != -1 && c != '\n' && length < buffer.length; c = reader.read()) {
                if (c != '\r') buffer[length++] = (char) c;
            }
            return Arrays.copyOf(buffer, length);
        } finally {
            Arrays.fill(buffer, '\0');
        }
    }
}
