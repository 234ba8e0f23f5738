// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.member;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;

/**
 * The security questions a member chooses from (patent Fig. 2), from
 * {@code cfg/web/security-questions.properties}: {@code question.<id>.ko}, {@code .en}, and
 * optionally {@code .retired=true} for a question that stays valid for old members but is no
 * longer offered. Ids are stored with members, so they are never renumbered.
 */
public final class SecurityQuestions {

    public record Question(int id, String ko, String en, boolean retired) {}

    private final List<Question> all;

    public SecurityQuestions(List<Question> questions) {
        if (questions.stream().noneMatch(q -> !q.retired())) throw new IllegalArgumentException("no security question is offered");
        this.all = questions.stream().sorted(Comparator.comparingInt(Question::id)).toList();
    }

    public static SecurityQuestions load(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
        List<Question> questions = new ArrayList<>();
        for (String name : p.stringPropertyNames()) {
            if (!name.matches("question\\.\\d+\\.ko")) continue;
            int id = Integer.parseInt(name.split("\\.")[1]);
            String en = p.getProperty("question." + id + ".en");
            if (en == null || en.isBlank()) throw new IllegalArgumentException(file + ": question " + id + " has no English text");
            boolean retired = Boolean.parseBoolean(p.getProperty("question." + id + ".retired", "false").trim());
            questions.add(new Question(id, p.getProperty(name).trim(), en.trim(), retired));
        }
        return new SecurityQuestions(questions);
    }

    /** The questions offered to new members, by id. */
    public List<Question> offered() {
        return all.stream().filter(q -> !q.retired()).toList();
    }

    /** Whether a new member may choose question {@code id}. */
    public boolean isOffered(int id) {
        return all.stream().anyMatch(q -> q.id() == id && !q.retired());
    }
}
