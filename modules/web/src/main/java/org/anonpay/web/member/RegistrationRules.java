// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.member;

import java.text.Normalizer;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.anonpay.web.ErrorCode;
import org.anonpay.web.FieldError;

/**
 * The a1 registration rules (patent Fig. 2). Every field is checked and every failure reported,
 * ordered as {@link RegistrationForm#FIELDS} (unknown fields last); the API's {@code error} is the
 * first of them. Each rule returns the normalized value or throws {@link Refused}.
 */
public final class RegistrationRules {

    public static final int NAME_MAX = 30;
    public static final int NAME_LATIN_MAX = 60;
    public static final int MEMBER_ID_MIN = 8, MEMBER_ID_MAX = 12;
    public static final int PASSWORD_MIN = 8, PASSWORD_MAX = 12;
    public static final int ANSWER_MAX = 50;
    public static final int NICKNAME_MIN = 4, NICKNAME_MAX = 12;
    public static final int EMAIL_MAX = 254, EMAIL_LOCAL_MAX = 64;
    /** Nobody registering was born before this; it catches typos such as 0199. */
    static final LocalDate OLDEST_BIRTH_DATE = LocalDate.of(1900, 1, 1);

    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{M}]+");
    private static final Pattern NAME_LATIN_CHARS = Pattern.compile("[A-Za-z -]+");
    private static final Pattern NAME_LATIN = Pattern.compile("[A-Za-z]+(?:[ -][A-Za-z]+)*");
    private static final Pattern ISO_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern ALNUM = Pattern.compile("[A-Za-z0-9]+");
    private static final Pattern HAS_LETTER = Pattern.compile(".*[A-Za-z].*");
    private static final Pattern HAS_DIGIT = Pattern.compile(".*[0-9].*");
    private static final Pattern NICKNAME = Pattern.compile("[A-Za-z0-9가-힣]+");
    private static final Pattern EMAIL = Pattern.compile(
            "[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+");
    /** 01X-XXX(X)-XXXX with hyphens, or the same digits without. */
    private static final Pattern MOBILE = Pattern.compile("(01[016789])-(\\d{3,4})-(\\d{4})|(01[016789])(\\d{3,4})(\\d{4})");
    private static final Pattern CONTROL = Pattern.compile(".*\\p{Cntrl}.*", Pattern.DOTALL);

    private final SecurityQuestions questions;
    private final CommonPasswords commonPasswords;
    private final Clock clock;

    public RegistrationRules(SecurityQuestions questions, CommonPasswords commonPasswords, Clock clock) {
        this.questions = questions;
        this.commonPasswords = commonPasswords;
        this.clock = clock;
    }

    /** A rule's refusal: the error code and a message for people. */
    static final class Refused extends RuntimeException {
        final ErrorCode code;

        Refused(ErrorCode code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    private static Refused refuse(ErrorCode code, String message) {
        return new Refused(code, message);
    }

    /** All errors (empty if none) and, when there are none, the normalized registration. */
    public record Result(List<FieldError> errors, Registration registration) {}

    public Result check(RegistrationForm.Parsed parsed) {
        Run run = new Run(parsed.errors());
        RegistrationForm f = parsed.form();
        LocalDate today = LocalDate.now(clock);
        String name = run.field("name", () -> name(f.name()));
        String nameLatin = run.field("nameLatin", () -> nameLatin(f.nameLatin()));
        String nationalId = run.field("nationalId", () -> nationalId(f.nationalId(), today));
        LocalDate birthDate = run.field("birthDate", () -> birthDate(f.birthDate(), today));
        BirthCalendar calendar = run.field("birthCalendar", () -> oneOf(BirthCalendar.class, f.birthCalendar()));
        String memberId = run.field("memberId", () -> memberId(f.memberId()));
        String password = run.field("password", () -> password(f.password(), f.memberId()));
        run.field("passwordConfirm", () -> passwordConfirm(f.passwordConfirm(), f.password()));
        Integer questionId = run.field("securityQuestionId", () -> securityQuestion(f.securityQuestionId()));
        String answer = run.field("securityAnswer", () -> securityAnswer(f.securityAnswer()));
        String nickname = run.field("nickname", () -> nickname(f.nickname(), f.memberId()));
        String email = run.field("email", () -> email(f.email()));
        String mobile = run.field("mobile", () -> mobile(f.mobile()));
        StatementChannel channel = run.field("statementChannel", () -> statementChannel(f.statementChannel()));
        List<FieldError> errors = run.sortedErrors();
        if (!errors.isEmpty()) return new Result(errors, null);
        return new Result(errors, new Registration(name, nameLatin, nationalId, birthDate, calendar, memberId, password,
                questionId, answer, nickname, email, mobile, channel));
    }

    /**
     * The registration rules for a new password (reset or change): errors on fields "password"
     * and "passwordConfirm", empty if it is acceptable for the member with {@code memberId}.
     */
    public List<FieldError> newPasswordErrors(String password, String passwordConfirm, String memberId) {
        List<FieldError> errors = new ArrayList<>();
        try {
            password(password, memberId);
        } catch (Refused r) {
            errors.add(FieldError.of(r.code, "password", r.getMessage()));
        }
        try {
            passwordConfirm(passwordConfirm, password);
        } catch (Refused r) {
            errors.add(FieldError.of(r.code, "passwordConfirm", r.getMessage()));
        }
        return errors;
    }

    /**
     * A security answer as typed on recovery, in the form that was hashed at registration
     * ({@link Registration#securityAnswerForHash()}), or null if it could not have been registered.
     */
    public static String answerForVerify(String raw) {
        try {
            return securityAnswer(raw).toLowerCase(java.util.Locale.ROOT);
        } catch (Refused r) {
            return null;
        }
    }

    /** A name as stored (trimmed, NFC), or null if it could not have been registered. */
    public static String normalizedName(String raw) {
        try {
            return name(raw);
        } catch (Refused r) {
            return null;
        }
    }

    /** An e-mail address as stored, or null if it could not have been registered. */
    public static String normalizedEmail(String raw) {
        try {
            return email(raw);
        } catch (Refused r) {
            return null;
        }
    }

    /** One check of a form: collects errors, skips fields already refused for their JSON type. */
    private static final class Run {
        private final List<FieldError> errors;
        private final Set<String> failed = new HashSet<>();

        Run(List<FieldError> parseErrors) {
            this.errors = new ArrayList<>(parseErrors);
            parseErrors.forEach(e -> failed.add(e.field()));
        }

        <T> T field(String field, Supplier<T> rule) {
            if (failed.contains(field)) return null;
            try {
                T value = rule.get();
                assert value != null : "a rule returns a value or refuses: " + field;
                return value;
            } catch (Refused r) {
                errors.add(FieldError.of(r.code, field, r.getMessage()));
                failed.add(field);
                return null;
            }
        }

        List<FieldError> sortedErrors() {
            List<FieldError> sorted = new ArrayList<>(errors);
            sorted.sort(Comparator.comparingInt(e -> order(e.field())));
            return List.copyOf(sorted);
        }

        private static int order(String field) {
            int i = RegistrationForm.FIELDS.indexOf(field);
            return i < 0 ? RegistrationForm.FIELDS.size() : i;
        }
    }

    // ---- the rules, in form order ----

    /** Trimmed, NFC; blank counts as missing. */
    private static String required(String value) {
        if (value == null) throw refuse(ErrorCode.REQUIRED, "required");
        String v = Normalizer.normalize(value, Normalizer.Form.NFC).strip();
        if (v.isEmpty()) throw refuse(ErrorCode.REQUIRED, "required");
        return v;
    }

    private static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    private static void lengthBetween(String v, int min, int max) {
        if (length(v) < min) throw refuse(ErrorCode.TOO_SHORT, "at least " + min + " characters");
        if (length(v) > max) throw refuse(ErrorCode.TOO_LONG, "at most " + max + " characters");
    }

    /** Fig. 2: "이름은 띄어 쓰지 마세요" (no spaces in the name): letters of any script, Hangul included. */
    static String name(String raw) {
        String v = required(raw);
        lengthBetween(v, 1, NAME_MAX);
        if (!NAME.matcher(v).matches()) throw refuse(ErrorCode.INVALID_CHARACTERS, "letters only (Hangul allowed), no spaces");
        return v;
    }

    /** Fig. 2: family and given name in A–Z, separated by a space (or a hyphen inside a name). */
    static String nameLatin(String raw) {
        String v = required(raw);
        lengthBetween(v, 1, NAME_LATIN_MAX);
        if (!NAME_LATIN_CHARS.matcher(v).matches()) throw refuse(ErrorCode.INVALID_CHARACTERS, "letters A-Z, spaces and hyphens only");
        if (!NAME_LATIN.matcher(v).matches()) throw refuse(ErrorCode.INVALID_FORMAT, "single spaces or hyphens between letters");
        return v;
    }

    static String nationalId(String raw, LocalDate today) {
        String v = required(raw);
        ResidentRegistrationNumber.Problem problem = ResidentRegistrationNumber.check(v);
        if (problem != null) {
            throw switch (problem) {
                case FORMAT -> refuse(ErrorCode.INVALID_FORMAT, "YYMMDD-NNNNNNN");
                case DATE -> refuse(ErrorCode.INVALID_DATE, "the first 7 digits are not a birth date");
                case CHECK_DIGIT -> refuse(ErrorCode.INVALID_CHECK_DIGIT, "the check digit does not match");
            };
        }
        if (ResidentRegistrationNumber.birthDate(v).isAfter(today)) throw refuse(ErrorCode.DATE_OUT_OF_RANGE, "the birth date in the number is in the future");
        return v;
    }

    static LocalDate birthDate(String raw, LocalDate today) {
        String v = required(raw);
        LocalDate date;
        try {
            if (!ISO_DATE.matcher(v).matches()) throw refuse(ErrorCode.INVALID_DATE, "YYYY-MM-DD");
            date = LocalDate.parse(v);
        } catch (DateTimeParseException e) {
            throw refuse(ErrorCode.INVALID_DATE, "not a calendar date");
        }
        if (date.isAfter(today) || date.isBefore(OLDEST_BIRTH_DATE)) throw refuse(ErrorCode.DATE_OUT_OF_RANGE, "between 1900-01-01 and today");
        return date;
    }

    static <E extends Enum<E>> E oneOf(Class<E> type, String raw) {
        String v = required(raw);
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(v)) return e;
        }
        throw refuse(ErrorCode.INVALID_VALUE, "one of " + java.util.Arrays.toString(type.getEnumConstants()));
    }

    /** Fig. 2: 8–12 letters and digits; unique ignoring case (checked against the database later). */
    public static String memberId(String raw) {
        String v = required(raw);
        lengthBetween(v, MEMBER_ID_MIN, MEMBER_ID_MAX);
        if (!ALNUM.matcher(v).matches()) throw refuse(ErrorCode.INVALID_CHARACTERS, "letters A-Z and digits only");
        return v;
    }

    /** Fig. 2: 8–12 letters and digits, both present, case-sensitive. Never trimmed: every character counts. */
    String password(String raw, String rawMemberId) {
        if (raw == null || raw.isEmpty()) throw refuse(ErrorCode.REQUIRED, "required");
        lengthBetween(raw, PASSWORD_MIN, PASSWORD_MAX);
        if (!ALNUM.matcher(raw).matches()) throw refuse(ErrorCode.INVALID_CHARACTERS, "letters A-Z and digits only");
        if (!HAS_LETTER.matcher(raw).matches() || !HAS_DIGIT.matcher(raw).matches()) {
            throw refuse(ErrorCode.PASSWORD_NEEDS_LETTER_AND_DIGIT, "use both letters and digits");
        }
        if (rawMemberId != null && raw.equalsIgnoreCase(rawMemberId.strip())) throw refuse(ErrorCode.PASSWORD_EQUALS_MEMBER_ID, "must differ from the member ID");
        if (commonPasswords.contains(raw)) throw refuse(ErrorCode.PASSWORD_TOO_COMMON, "too common, choose another");
        return raw;
    }

    static String passwordConfirm(String raw, String password) {
        if (raw == null || raw.isEmpty()) throw refuse(ErrorCode.REQUIRED, "required");
        if (!raw.equals(password)) throw refuse(ErrorCode.PASSWORD_MISMATCH, "the two passwords differ");
        return raw;
    }

    Integer securityQuestion(Integer id) {
        if (id == null) throw refuse(ErrorCode.REQUIRED, "required");
        if (!questions.isOffered(id)) throw refuse(ErrorCode.UNKNOWN_SECURITY_QUESTION, "choose one of GET /api/v1/security-questions");
        return id;
    }

    /** Trimmed, NFC, inner runs of white space made one space: the member retypes it from memory. */
    static String securityAnswer(String raw) {
        String v = required(raw).replaceAll("\\s+", " ");
        lengthBetween(v, 1, ANSWER_MAX);
        if (CONTROL.matcher(v).matches()) throw refuse(ErrorCode.INVALID_CHARACTERS, "no control characters");
        return v;
    }

    /** Fig. 2: 4–12 characters; Hangul syllables, letters A-Z and digits; unique ignoring case; not the member ID. */
    public static String nickname(String raw, String rawMemberId) {
        String v = required(raw);
        lengthBetween(v, NICKNAME_MIN, NICKNAME_MAX);
        if (!NICKNAME.matcher(v).matches()) throw refuse(ErrorCode.INVALID_CHARACTERS, "Hangul, letters A-Z and digits only");
        // the nickname stands in for the member ID on partner sites; equal to it, it hides nothing
        if (rawMemberId != null && v.equalsIgnoreCase(rawMemberId.strip())) throw refuse(ErrorCode.NICKNAME_EQUALS_MEMBER_ID, "must differ from the member ID");
        return v;
    }

    static String email(String raw) {
        String v = required(raw);
        if (v.length() > EMAIL_MAX) throw refuse(ErrorCode.TOO_LONG, "at most " + EMAIL_MAX + " characters");
        if (!EMAIL.matcher(v).matches() || v.indexOf('@') > EMAIL_LOCAL_MAX) throw refuse(ErrorCode.INVALID_FORMAT, "name@domain.example");
        return v;
    }

    /** Korean mobile number, stored as 01X-XXX(X)-XXXX whichever way it was typed. */
    static String mobile(String raw) {
        String v = required(raw);
        Matcher m = MOBILE.matcher(v);
        if (!m.matches()) throw refuse(ErrorCode.INVALID_FORMAT, "01X-XXXX-XXXX");
        int g = m.group(1) != null ? 1 : 4;
        return m.group(g) + "-" + m.group(g + 1) + "-" + m.group(g + 2);
    }

    static StatementChannel statementChannel(String raw) {
        if (raw == null) return StatementChannel.EMAIL; // the patent's default: statements by e-mail
        return oneOf(StatementChannel.class, raw);
    }
}
