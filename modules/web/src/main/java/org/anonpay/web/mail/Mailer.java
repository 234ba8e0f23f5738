// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.mail;

import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Date;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.anonpay.web.WebSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends plain-text mails over SMTP (Jakarta Mail / Eclipse Angus), off the request thread: the
 * HTTP answer must not take longer when a mail goes out (that would tell whether a recovery
 * request matched a member). An in-memory outbox (one sender thread, three tries): a mail queued
 * when the host stops is lost and the member simply asks again. Mail bodies hold member IDs and
 * reset links, so they are never logged; a failure logs the recipient's domain only.
 */
public final class Mailer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Mailer.class);
    private static final int TRIES = 3;

    private final WebSettings.Mail settings;
    private final Session session;
    private final ExecutorService outbox = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "wallet-web-mail");
        t.setDaemon(true);
        return t;
    });

    public Mailer(WebSettings.Mail settings, String smtpPassword) {
        this.settings = settings;
        Properties p = new Properties();
        p.put("mail.transport.protocol", "smtp");
        p.put("mail.smtp.host", settings.host());
        p.put("mail.smtp.port", String.valueOf(settings.port()));
        String timeout = String.valueOf(settings.timeout().toMillis());
        p.put("mail.smtp.connectiontimeout", timeout);
        p.put("mail.smtp.timeout", timeout);
        p.put("mail.smtp.writetimeout", timeout);
        if (settings.startTls()) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        Authenticator auth = null;
        if (settings.username() != null) {
            p.put("mail.smtp.auth", "true");
            String password = smtpPassword == null ? "" : smtpPassword;
            auth = new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return new PasswordAuthentication(settings.username(), password);
                }
            };
        }
        this.session = Session.getInstance(p, auth);
    }

    /** Queues a mail; returns at once. */
    public void send(String to, String subject, String text) {
        try {
            outbox.execute(() -> deliver(to, subject, text));
        } catch (RejectedExecutionException e) {
            LOG.warn("mail to @{} dropped: mailer closed", domain(to));
        }
    }

    private void deliver(String to, String subject, String text) {
        for (int attempt = 1; attempt <= TRIES; attempt++) {
            try {
                MimeMessage m = new MimeMessage(session);
                m.setFrom(new InternetAddress(settings.from()));
                m.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
                m.setSubject(subject, "UTF-8");
                m.setText(text, "UTF-8");
                m.setSentDate(new Date());
                Transport.send(m);
                return;
            } catch (MessagingException e) {
                LOG.warn("mail to @{} failed (try {} of {}): {}", domain(to), attempt, TRIES, e.getClass().getSimpleName());
                try {
                    Thread.sleep(500L * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static String domain(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? "?" : address.substring(at + 1);
    }

    /** Sends what is queued (a few seconds at most), then stops. */
    @Override
    public void close() {
        outbox.shutdown();
        try {
            if (!outbox.awaitTermination(5, TimeUnit.SECONDS)) outbox.shutdownNow();
        } catch (InterruptedException e) {
            outbox.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
