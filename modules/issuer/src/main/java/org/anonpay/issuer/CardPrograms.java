// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.issuer;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The card programs in force: an immutable set whose BIN ranges do not overlap, so every card
 * number belongs to at most one program.
 */
public final class CardPrograms {

    public static final String FILE_SUFFIX = ".properties";

    private final List<CardProgram> programs;
    private final Map<String, CardProgram> byId;

    private CardPrograms(List<CardProgram> sortedByBin) {
        this.programs = List.copyOf(sortedByBin);
        Map<String, CardProgram> ids = new HashMap<>();
        sortedByBin.forEach(p -> ids.put(p.id(), p));
        this.byId = Map.copyOf(ids);
    }

    /**
     * Reads every {@code *.properties} file of {@code dir} (UTF-8, one program each).
     *
     * @throws IllegalArgumentException naming the file and the problem when a file is bad, two
     *         programs share an id or their BIN ranges overlap, or there is no program at all
     */
    public static CardPrograms load(Path dir) {
        List<CardProgram> loaded = new ArrayList<>();
        for (Path file : programFiles(dir)) {
            loaded.add(CardProgram.fromProperties(read(file), file.toString()));
        }
        if (loaded.isEmpty()) throw new IllegalArgumentException("no card program (*" + FILE_SUFFIX + ") in " + dir);
        return of(loaded);
    }

    /** The programs as given; refuses duplicate ids and overlapping BIN ranges. */
    public static CardPrograms of(List<CardProgram> programs) {
        List<CardProgram> sorted = new ArrayList<>(programs);
        sorted.sort(Comparator.comparingInt(p -> p.binRange().low()));
        for (int i = 1; i < sorted.size(); i++) {
            CardProgram before = sorted.get(i - 1);
            CardProgram after = sorted.get(i);
            if (before.binRange().overlaps(after.binRange())) {
                throw new IllegalArgumentException("BIN ranges overlap: " + before.id() + " " + before.binRange()
                        + " and " + after.id() + " " + after.binRange());
            }
        }
        Map<String, CardProgram> ids = new HashMap<>();
        for (CardProgram p : sorted) {
            if (ids.put(p.id(), p) != null) throw new IllegalArgumentException("two card programs have the id " + p.id());
        }
        return new CardPrograms(sorted);
    }

    /** Files in name order, so a reload reads them the same way each time. */
    static List<Path> programFiles(Path dir) {
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException("card program folder " + dir + " does not exist");
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(FILE_SUFFIX) && Files.isRegularFile(f))
                    .sorted().toList();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Properties read(Path file) {
        // UTF-8, not Properties' ISO-8859-1 default: program names may be Hangul
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Properties p = new Properties();
            p.load(in);
            return p;
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    public Optional<CardProgram> byId(String id) {
        return Optional.ofNullable(id == null ? null : byId.get(id));
    }

    /** The program whose BIN range and card number length cover {@code pan}. */
    public Optional<CardProgram> byPan(String pan) {
        for (CardProgram p : programs) {
            if (p.covers(pan)) return Optional.of(p);
        }
        return Optional.empty();
    }

    /** All programs in BIN order. */
    public List<CardProgram> all() {
        return programs;
    }

    @Override
    public String toString() {
        return "CardPrograms" + programs.stream().map(p -> p.id() + " " + p.binRange() + " " + p.currencyCode()).toList();
    }
}
