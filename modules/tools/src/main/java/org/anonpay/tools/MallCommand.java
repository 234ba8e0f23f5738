// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.tools;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.anonpay.db.Database;
import org.anonpay.gateway.mall.Mall;
import org.anonpay.gateway.mall.MallSecret;
import org.anonpay.gateway.mall.Malls;
import org.anonpay.gateway.mall.WebhookUrls;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code anonpay-ops mall …}: the malls (merchants) that may call the payment API. Malls live in
 * the database, not in a deploy/ file: a mall's API secret is shown once, here, and stored only as
 * a sealed hash, which a file edited by hand could not keep.
 */
@Command(name = "mall", mixinStandardHelpOptions = true,
        description = {"Partner and non-affiliated malls: add, change, list, rotate and retire API secrets.",
                "A secret is shown once (or written to --secret-file); anonpay keeps only a sealed hash of it."},
        subcommands = {MallCommand.Add.class, MallCommand.Change.class, MallCommand.ListMalls.class, MallCommand.RotateSecret.class,
                MallCommand.RetireSecret.class})
final class MallCommand {

    @Spec
    CommandSpec spec;

    /** Options shared by add and change. */
    static final class WebhookOptions {
        @Option(names = "--webhook", paramLabel = "URL", description = "where payment results are posted (https)")
        String webhook;

        @Option(names = "--allow-internal-webhook",
                description = "DEVELOPMENT ONLY: accept a webhook URL on loopback or a private network (the demo malls run on localhost)")
        boolean allowInternal;

        /** The checked URL, empty when none was given; a refusal is reported on {@code err}. */
        Optional<URI> checked(PrintWriter err) {
            if (webhook == null || webhook.isBlank()) return Optional.empty();
            URI url;
            try {
                url = new URI(webhook.trim());
            } catch (URISyntaxException e) {
                throw new CommandLine.ParameterException(new CommandLine(new Object()), "--webhook is not a URL: " + e.getReason());
            }
            WebhookUrls.Check check = WebhookUrls.check(url, allowInternal);
            if (check != WebhookUrls.Check.ALLOWED) {
                err.println("refused: webhook URL " + check + (check == WebhookUrls.Check.INTERNAL_ADDRESS ? " (see --allow-internal-webhook)" : ""));
                return null;
            }
            return Optional.of(url);
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Adds a mall and prints its key id and first secret (once).")
    static final class Add implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin OpsEnvironment env;
        @Mixin WebhookOptions webhook;

        @Option(names = "--id", required = true, paramLabel = "MALL_ID", description = "4-16 of A-Z and 0-9; also the ISO 8583 card acceptor id (42)")
        String id;

        @Option(names = "--name", required = true, description = "shown in the wallet history and statements (max 40)")
        String name;

        @Option(names = "--mcc", required = true, description = "merchant category code, 4 digits (e.g. 5311 department stores)")
        String mcc;

        @Option(names = "--kind", defaultValue = "PARTNER", description = "PARTNER (wallet, HTTP API) or NON_AFFILIATED (VAN); default ${DEFAULT-VALUE}")
        Mall.Kind kind;

        @Option(names = "--secret-file", paramLabel = "FILE", description = "write the secret to FILE (mode 0600) instead of printing it")
        Path secretFile;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Optional<URI> url = webhook.checked(err);
            if (url == null) return Ops.REFUSED;
            Mall mall = MallCommand.mall(id, name, mcc, kind, Mall.State.ACTIVE, url.orElse(null), Instant.now());
            try (Database db = env.openDatabase()) {
                Malls.AddResult added = db.inJdbcTransaction(c -> Malls.load(env.keysDir).add(c, mall));
                if (added.status() != Malls.AddStatus.ADDED) {
                    err.println("refused: " + added.status());
                    return Ops.REFUSED;
                }
                out.println("mall " + mall.mallId() + " added (" + mall.kind() + ", MCC " + mall.mcc() + ")");
                return showSecret(added.secret(), secretFile, out);
            }
        }
    }

    @Command(name = "change", mixinStandardHelpOptions = true, description = "Changes a mall's name, MCC, kind, state or webhook; the id stays.")
    static final class Change implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin OpsEnvironment env;
        @Mixin WebhookOptions webhook;

        @Option(names = "--id", required = true, paramLabel = "MALL_ID")
        String id;

        @Option(names = "--name") String name;
        @Option(names = "--mcc") String mcc;
        @Option(names = "--kind") Mall.Kind kind;
        @Option(names = "--state", description = "ACTIVE or SUSPENDED (a suspended mall's requests are refused)") Mall.State state;
        @Option(names = "--no-webhook", description = "remove the webhook URL") boolean noWebhook;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            Optional<URI> url = webhook.checked(err);
            if (url == null) return Ops.REFUSED;
            try (Database db = env.openDatabase()) {
                Malls malls = Malls.load(env.keysDir);
                Optional<Mall> current = db.inJdbcTransaction(c -> malls.find(c, id));
                if (current.isEmpty()) {
                    err.println("refused: UNKNOWN_MALL");
                    return Ops.REFUSED;
                }
                Mall was = current.get();
                URI newUrl = noWebhook ? null : url.orElse(was.webhookUrl());
                Mall changed = MallCommand.mall(id, name != null ? name : was.name(), mcc != null ? mcc : was.mcc(),
                        kind != null ? kind : was.kind(), state != null ? state : was.state(), newUrl, was.createdAt());
                Malls.ChangeStatus status = db.inJdbcTransaction(c -> malls.change(c, changed, Instant.now()));
                spec.commandLine().getOut().println("mall " + id + ": " + status);
                return status == Malls.ChangeStatus.CHANGED ? 0 : Ops.REFUSED;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the malls and their live key ids (never a secret).")
    static final class ListMalls implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin OpsEnvironment env;

        private static final String ROW = "%-16s  %-14s  %-4s  %-9s  %-24s  %-40s  %s%n";

        @Override
        public Integer call() {
            try (Database db = env.openDatabase()) {
                Malls malls = Malls.load(env.keysDir);
                List<Mall> all = db.inJdbcTransaction(malls::list);
                Map<String, List<String>> keys = db.inJdbcTransaction(malls::liveKeyIds);
                PrintWriter out = spec.commandLine().getOut();
                out.printf(ROW, "mall", "kind", "mcc", "state", "name", "webhook", "live key ids");
                for (Mall m : all) {
                    out.printf(ROW, m.mallId(), m.kind(), m.mcc(), m.state(), m.name(), m.webhookUrl() == null ? "-" : m.webhookUrl(),
                            String.join(",", keys.getOrDefault(m.mallId(), List.of())));
                }
                return 0;
            }
        }
    }

    @Command(name = "rotate-secret", mixinStandardHelpOptions = true,
            description = "Adds a second secret; both sign until the old one is retired. Refused while two are live.")
    static final class RotateSecret implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin OpsEnvironment env;

        @Option(names = "--id", required = true, paramLabel = "MALL_ID") String id;
        @Option(names = "--secret-file", paramLabel = "FILE", description = "write the secret to FILE (mode 0600) instead of printing it")
        Path secretFile;

        @Override
        public Integer call() throws IOException {
            try (Database db = env.openDatabase()) {
                Malls.RotateResult r = db.inJdbcTransaction(c -> Malls.load(env.keysDir).rotateSecret(c, id, Instant.now()));
                if (r.status() != Malls.RotateStatus.ROTATED) {
                    spec.commandLine().getErr().println("refused: " + r.status());
                    return Ops.REFUSED;
                }
                return showSecret(r.secret(), secretFile, spec.commandLine().getOut());
            }
        }
    }

    @Command(name = "retire-secret", mixinStandardHelpOptions = true, description = "Ends a secret (not the mall's last live one).")
    static final class RetireSecret implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin OpsEnvironment env;

        @Option(names = "--id", required = true, paramLabel = "MALL_ID") String id;
        @Option(names = "--key-id", required = true, paramLabel = "KEY_ID") String keyId;

        @Override
        public Integer call() {
            try (Database db = env.openDatabase()) {
                Malls.RetireStatus status = db.inJdbcTransaction(c -> Malls.load(env.keysDir).retireSecret(c, id, keyId, Instant.now()));
                if (status != Malls.RetireStatus.RETIRED) {
                    spec.commandLine().getErr().println("refused: " + status);
                    return Ops.REFUSED;
                }
                spec.commandLine().getOut().println("key " + keyId + " of mall " + id + " retired");
                return 0;
            }
        }
    }

    static Mall mall(String id, String name, String mcc, Mall.Kind kind, Mall.State state, URI webhook, Instant createdAt) {
        try {
            return new Mall(id, name, mcc, kind, state, webhook, createdAt);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(new Object()), e.getMessage());
        }
    }

    /** The one time a secret is shown: on stdout, or into a file only the owner can read. */
    static int showSecret(MallSecret secret, Path file, PrintWriter out) throws IOException {
        out.println("key id: " + secret.keyId());
        if (file == null) {
            out.println("secret: " + secret.reveal());
            out.println("Store the secret now: it is not shown again (anonpay keeps only a sealed hash of it).");
            return 0;
        }
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, "key_id=" + secret.keyId() + "\nsecret=" + secret.reveal() + "\n", StandardCharsets.US_ASCII,
                StandardOpenOption.TRUNCATE_EXISTING);
        out.println("secret written to " + file + " (mode 0600); it is not shown again");
        return 0;
    }
}
