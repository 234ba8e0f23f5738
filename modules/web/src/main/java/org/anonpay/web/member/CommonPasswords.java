// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.member;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Passwords refused because attackers try them first ({@code cfg/web/common-passwords.txt}: one
 * a line, {@code #} comments). Compared ignoring case: "Password1" is as guessable as "password1".
 */
public final class CommonPasswords {

    private final Set<String> lowerCase;

    public CommonPasswords(Set<String> passwords) {
        this.lowerCase = passwords.stream().map(p -> p.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    public static CommonPasswords load(Path file) {
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return new CommonPasswords(lines.map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .collect(Collectors.toSet()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    public boolean contains(String password) {
        return lowerCase.contains(password.toLowerCase(Locale.ROOT));
    }

    public int size() {
        return lowerCase.size();
    }
}
