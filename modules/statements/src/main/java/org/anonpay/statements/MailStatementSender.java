// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.statements;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Properties;

/**
 * The statement by e-mail: SMTP through Jakarta Mail (Eclipse Angus), one multipart/alternative
 * message with a plain-text and an HTML part, each Korean then English. The Message-ID is derived
 * from the statement (member and date), so should a crash ever make the job send a statement twice
 * (see README), the two copies carry the same Message-ID and mail clients can tell them apart.
 */
public final class MailStatementSender implements StatementSender {

    private final StatementSettings settings;
    private final StatementFormatter formatter;
    private final Session session;

    public MailStatementSender(StatementSettings settings) {
        this.settings = settings;
        this.formatter = new StatementFormatter(settings.walletUrl());
        Properties p = new Properties();
        p.put("mail.smtp.host", settings.smtpHost());
        p.put("mail.smtp.port", Integer.toString(settings.smtpPort()));
        String timeout = Long.toString(settings.sendTimeout().toMillis());
        p.put("mail.smtp.connectiontimeout", timeout);
        p.put("mail.smtp.timeout", timeout);
        p.put("mail.smtp.writetimeout", timeout);
        if (settings.smtpStartTls()) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        if (!settings.smtpUser().isEmpty()) p.put("mail.smtp.auth", "true");
        this.session = Session.getInstance(p);
    }

    @Override
    public String send(Statement s) throws MessagingException {
        String messageId = "<statement-" + s.businessDate() + "-" + s.memberRef() + "@anonpay>";
        MimeMessage m = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        m.setFrom(new InternetAddress(settings.mailFrom()));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(s.email()));
        m.setSubject(formatter.subject(s), StandardCharsets.UTF_8.name());
        m.setSentDate(new Date());
        MimeBodyPart text = new MimeBodyPart();
        text.setText(formatter.text(s), StandardCharsets.UTF_8.name(), "plain");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(formatter.html(s), StandardCharsets.UTF_8.name(), "html");
        MimeMultipart alternative = new MimeMultipart("alternative");
        alternative.addBodyPart(text);   // least preferred first
        alternative.addBodyPart(html);
        m.setContent(alternative);
        m.setHeader("Content-Language", "ko, en");
        m.saveChanges();
        if (settings.smtpUser().isEmpty()) {
            Transport.send(m);
        } else {
            Transport.send(m, settings.smtpUser(), settings.smtpPassword());
        }
        return messageId;
    }
}
