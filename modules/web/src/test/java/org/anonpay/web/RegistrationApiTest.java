// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web;

import static org.anonpay.web.TestMembers.json;
import static org.anonpay.web.TestMembers.parse;
import static org.anonpay.web.TestMembers.valid;
import static org.anonpay.web.TestMembers.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.anonpay.web.member.Argon2id;
import org.anonpay.web.member.NationalIdCipher;
import org.anonpay.web.member.RegistrationForm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Registration (a1) over real HTTP against a real MariaDB. */
class RegistrationApiTest {

    private static final String MEMBERS = "/api/v1/members";
    private static final String JSON_TYPE = "application/json";
    private static WebTestServer web;

    @BeforeAll
    static void start() throws Exception {
        web = new WebTestServer("web");
    }

    @AfterAll
    static void stop() {
        if (web != null) web.close();
    }

    private static HttpResponse<String> register(Map<String, Object> body) throws Exception {
        return web.post(MEMBERS, JSON_TYPE, json(body));
    }

    private static JsonNode error(HttpResponse<String> response) {
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), "errors are JSON");
        JsonNode error = parse(response.body()).get("error");
        assertNotNull(error, "no error object: " + response.body());
        return error;
    }

    /** Asserts a refusal with {@code status}, {@code code} on {@code field}, and that no row was written. */
    private static void assertRefused(Map<String, Object> body, int status, String code, String field) throws Exception {
        long members = web.count("member"), handles = web.count("member_handle");
        HttpResponse<String> response = register(body);
        assertEquals(status, response.statusCode(), response.body());
        JsonNode error = error(response);
        assertEquals(code, error.get("code").asText(), response.body());
        assertEquals(field, error.get("field").isNull() ? null : error.get("field").asText(), response.body());
        assertEquals(members, web.count("member"), "a refused registration stores nothing");
        assertEquals(handles, web.count("member_handle"), "a refused registration stores nothing");
    }

    static Stream<Arguments> badFields() {
        return Stream.of(
                Arguments.of("name", "", "REQUIRED"),
                Arguments.of("name", "홍 길동", "INVALID_CHARACTERS"),
                Arguments.of("name", "홍길동1", "INVALID_CHARACTERS"),
                Arguments.of("name", "가".repeat(31), "TOO_LONG"),
                Arguments.of("nameLatin", "HONG  GILDONG", "INVALID_FORMAT"),
                Arguments.of("nameLatin", "홍길동", "INVALID_CHARACTERS"),
                Arguments.of("nameLatin", "O'BRIEN", "INVALID_CHARACTERS"),
                Arguments.of("nameLatin", "-HONG", "INVALID_FORMAT"),
                Arguments.of("nationalId", "9001151234567", "INVALID_FORMAT"),
                Arguments.of("nationalId", "900115-123456", "INVALID_FORMAT"),
                Arguments.of("nationalId", TestMembers.rrn("901315-1", "23456"), "INVALID_DATE"),
                Arguments.of("nationalId", TestMembers.rrn("990101-3", "23456"), "DATE_OUT_OF_RANGE"),
                Arguments.of("nationalId", wrongCheckDigit(TestMembers.rrn("900115-1", "23456")), "INVALID_CHECK_DIGIT"),
                Arguments.of("birthDate", "1990-02-30", "INVALID_DATE"),
                Arguments.of("birthDate", "19900115", "INVALID_DATE"),
                Arguments.of("birthDate", "2999-01-01", "DATE_OUT_OF_RANGE"),
                Arguments.of("birthDate", "1899-12-31", "DATE_OUT_OF_RANGE"),
                Arguments.of("birthCalendar", "solar", "INVALID_VALUE"),
                Arguments.of("birthCalendar", "JULIAN", "INVALID_VALUE"),
                Arguments.of("memberId", "abc1234", "TOO_SHORT"),
                Arguments.of("memberId", "abcdefgh12345", "TOO_LONG"),
                Arguments.of("memberId", "abcd_1234", "INVALID_CHARACTERS"),
                Arguments.of("memberId", "회원아이디회원아이디", "INVALID_CHARACTERS"),
                Arguments.of("securityQuestionId", 99, "UNKNOWN_SECURITY_QUESTION"),
                Arguments.of("securityQuestionId", "3", "WRONG_TYPE"),
                Arguments.of("securityQuestionId", 1.5, "WRONG_TYPE"),
                Arguments.of("securityAnswer", "   ", "REQUIRED"),
                Arguments.of("securityAnswer", "가".repeat(51), "TOO_LONG"),
                Arguments.of("securityAnswer", "a\u0007b", "INVALID_CHARACTERS"),
                Arguments.of("nickname", "abc", "TOO_SHORT"),
                Arguments.of("nickname", "가나다라마바사아자차카타파", "TOO_LONG"),
                Arguments.of("nickname", "nick name", "INVALID_CHARACTERS"),
                Arguments.of("nickname", "nick!", "INVALID_CHARACTERS"),
                Arguments.of("email", "not-an-email", "INVALID_FORMAT"),
                Arguments.of("email", "a@b", "INVALID_FORMAT"),
                Arguments.of("email", "a".repeat(250) + "@x.kr", "TOO_LONG"),
                Arguments.of("mobile", "02-123-4567", "INVALID_FORMAT"),
                Arguments.of("mobile", "010-12-3456", "INVALID_FORMAT"),
                Arguments.of("mobile", "+82 10 1234 5678", "INVALID_FORMAT"),
                Arguments.of("statementChannel", "PAGER", "INVALID_VALUE"),
                Arguments.of("name", 42, "WRONG_TYPE"),
                Arguments.of("email", List.of("a@b.kr"), "WRONG_TYPE"));
    }

    private static String wrongCheckDigit(String rrn) {
        char last = rrn.charAt(rrn.length() - 1);
        return rrn.substring(0, rrn.length() - 1) + (char) ('0' + (last - '0' + 1) % 10);
    }

    @ParameterizedTest(name = "{0}={1} -> {2}")
    @MethodSource("badFields")
    void everyRuleRefusesBadInputAndStoresNothing(String field, Object value, String code) throws Exception {
        assertRefused(with(field, value), 400, code, field);
    }

    static Stream<Arguments> badPasswords() {
        return Stream.of(
                Arguments.of("abc1234", "TOO_SHORT"),
                Arguments.of("abcdefg123456", "TOO_LONG"),
                Arguments.of("abcd 1234", "INVALID_CHARACTERS"),
                Arguments.of("비밀번호1234", "INVALID_CHARACTERS"),
                Arguments.of("abcdefghij", "PASSWORD_NEEDS_LETTER_AND_DIGIT"),
                Arguments.of("1234567890", "PASSWORD_NEEDS_LETTER_AND_DIGIT"),
                Arguments.of("Password1", "PASSWORD_TOO_COMMON"),
                Arguments.of("QWER1234", "PASSWORD_TOO_COMMON"));
    }

    @ParameterizedTest(name = "password {0} -> {1}")
    @MethodSource("badPasswords")
    void passwordRules(String password, String code) throws Exception {
        Map<String, Object> body = valid();
        body.put("password", password);
        body.put("passwordConfirm", password);
        assertRefused(body, 400, code, "password");
    }

    @Test
    void passwordEqualToMemberIdInAnyCaseIsRefused() throws Exception {
        Map<String, Object> body = valid();
        String upper = body.get("memberId").toString().toUpperCase();
        body.put("password", upper);
        body.put("passwordConfirm", upper);
        assertRefused(body, 400, "PASSWORD_EQUALS_MEMBER_ID", "password");
    }

    @Test
    void passwordsMustBeEqualCaseSensitively() throws Exception {
        Map<String, Object> body = valid();
        body.put("passwordConfirm", body.get("password").toString().toLowerCase());
        assertRefused(body, 400, "PASSWORD_MISMATCH", "passwordConfirm");
    }

    @Test
    void nicknameEqualToOwnMemberIdIsRefused() throws Exception {
        Map<String, Object> body = valid();
        body.put("nickname", body.get("memberId").toString().toUpperCase());
        assertRefused(body, 400, "NICKNAME_EQUALS_MEMBER_ID", "nickname");
    }

    @Test
    void everyMissingFieldIsReportedInFormOrder() throws Exception {
        long before = web.count("member");
        HttpResponse<String> response = register(Map.of());
        assertEquals(400, response.statusCode());
        JsonNode body = parse(response.body());
        List<String> fields = new ArrayList<>();
        body.get("errors").forEach(e -> {
            assertEquals("REQUIRED", e.get("code").asText());
            fields.add(e.get("field").asText());
        });
        // statementChannel is optional (EMAIL)
        assertEquals(RegistrationForm.FIELDS.subList(0, RegistrationForm.FIELDS.size() - 1), fields);
        assertEquals("name", body.get("error").get("field").asText());
        assertEquals(before, web.count("member"));
    }

    @Test
    void unknownFieldIsRefused() throws Exception {
        assertRefused(with("pasword", "Secret12"), 400, "UNKNOWN_FIELD", "pasword");
    }

    @Test
    void validRegistrationIsStoredWithoutClearSecrets() throws Exception {
        Map<String, Object> body = valid();
        body.put("mobile", "01098765432");
        body.remove("statementChannel");
        HttpResponse<String> response = register(body);
        assertEquals(201, response.statusCode(), response.body());
        JsonNode created = parse(response.body());
        assertEquals(body.get("memberId"), created.get("memberId").asText());
        assertEquals(body.get("nickname"), created.get("nickname").asText());

        Map<String, byte[]> row = rawRow(body.get("memberId").toString());
        String nationalId = body.get("nationalId").toString();
        List<String> secrets = List.of(body.get("password").toString(), body.get("securityAnswer").toString(),
                nationalId, nationalId.replace("-", ""), nationalId.substring(7));
        for (var column : row.entrySet()) {
            String utf8 = new String(column.getValue(), StandardCharsets.UTF_8);
            String latin1 = new String(column.getValue(), StandardCharsets.ISO_8859_1);
            for (String secret : secrets) {
                assertFalse(utf8.contains(secret) || latin1.contains(secret), "column " + column.getKey() + " holds a secret in clear");
            }
        }
        assertEquals(nationalId.substring(0, 8) + "******", text(row, "national_id_masked"));
        assertEquals("010-9876-5432", text(row, "mobile"));
        assertEquals("EMAIL", text(row, "statement_channel"));
        assertEquals("SOLAR", text(row, "birth_calendar"));

        String passwordHash = text(row, "password_hash");
        assertTrue(passwordHash.startsWith("$argon2id$v=19$m=1024,t=1,p=1$"), passwordHash);
        assertTrue(Argon2id.verify(passwordHash, body.get("password").toString()));
        assertFalse(Argon2id.verify(passwordHash, body.get("password").toString().toLowerCase()), "passwords are case-sensitive");
        assertFalse(Argon2id.verify(passwordHash, "wrong1234"));
        assertTrue(Argon2id.verify(text(row, "security_answer_hash"), "5월 5일"));

        NationalIdCipher cipher = NationalIdCipher.load(WebTestServer.root().resolve("cfg/keys"), Map.of());
        String memberIdKey = body.get("memberId").toString().toLowerCase();
        assertEquals(nationalId, cipher.decrypt(row.get("national_id_encrypted"), memberIdKey));
    }

    private static String text(Map<String, byte[]> row, String column) {
        return new String(row.get(column), StandardCharsets.UTF_8);
    }

    /** Every column of the member's row as the raw bytes the database returns. */
    private static Map<String, byte[]> rawRow(String memberId) {
        return web.database.inJdbcTransaction(c -> {
            try (var ps = c.prepareStatement("SELECT * FROM member WHERE member_id = ?")) {
                ps.setString(1, memberId);
                try (var rs = ps.executeQuery()) {
                    assertTrue(rs.next(), "member row stored");
                    Map<String, byte[]> row = new java.util.LinkedHashMap<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        byte[] bytes = rs.getBytes(i);
                        row.put(rs.getMetaData().getColumnLabel(i), bytes == null ? new byte[0] : bytes);
                    }
                    return row;
                }
            }
        });
    }

    @Test
    void duplicateMemberIdInAnyCaseIsAConflict() throws Exception {
        Map<String, Object> first = valid();
        assertEquals(201, register(first).statusCode());
        Map<String, Object> second = valid();
        second.put("memberId", first.get("memberId").toString().toUpperCase());
        assertRefused(second, 409, "MEMBER_ID_TAKEN", "memberId");
    }

    @Test
    void duplicateNicknameIsAConflict() throws Exception {
        Map<String, Object> first = valid();
        first.put("nickname", "Nick" + first.get("memberId").toString().substring(6));
        assertEquals(201, register(first).statusCode());
        assertRefused(with("nickname", first.get("nickname").toString().toLowerCase()), 409, "NICKNAME_TAKEN", "nickname");
    }

    @Test
    void nicknameAndMemberIdShareOneNamespace() throws Exception {
        Map<String, Object> first = valid();
        assertEquals(201, register(first).statusCode());
        assertRefused(with("nickname", first.get("memberId")), 409, "NICKNAME_TAKEN", "nickname");
        Map<String, Object> second = valid();
        second.put("memberId", "nick" + first.get("memberId").toString().substring(6));
        Map<String, Object> third = valid();
        third.put("nickname", second.get("memberId"));
        assertEquals(201, register(third).statusCode());
        assertRefused(second, 409, "MEMBER_ID_TAKEN", "memberId");
    }

    @Test
    void availabilityEndpoints() throws Exception {
        Map<String, Object> member = valid();
        assertEquals(201, register(member).statusCode());
        String id = member.get("memberId").toString();
        assertAvailable(false, "/api/v1/members/id-available?memberId=" + id.toUpperCase());
        assertAvailable(true, "/api/v1/members/id-available?memberId=free" + id.substring(6) + "x");
        String nick = java.net.URLEncoder.encode(member.get("nickname").toString(), StandardCharsets.UTF_8);
        assertAvailable(false, "/api/v1/members/nickname-available?nickname=" + nick);
        assertAvailable(true, "/api/v1/members/nickname-available?nickname=FreeNick1");

        assertFieldError(web.get("/api/v1/members/id-available?memberId=short"), 400, "TOO_SHORT", "memberId");
        assertFieldError(web.get("/api/v1/members/id-available"), 400, "REQUIRED", "memberId");
        assertFieldError(web.get("/api/v1/members/nickname-available?nickname=a%20b%20c"), 400, "INVALID_CHARACTERS", "nickname");
    }

    private static void assertAvailable(boolean expected, String pathAndQuery) throws Exception {
        HttpResponse<String> response = web.get(pathAndQuery);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(expected, parse(response.body()).get("available").asBoolean(), pathAndQuery);
    }

    private static void assertFieldError(HttpResponse<String> response, int status, String code, String field) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(code, error(response).get("code").asText());
        assertEquals(field, error(response).get("field").asText());
    }

    @Test
    void securityQuestionsComeFromConfiguration() throws Exception {
        HttpResponse<String> response = web.get("/api/v1/security-questions");
        assertEquals(200, response.statusCode());
        JsonNode questions = parse(response.body()).get("questions");
        assertEquals(5, questions.size());
        assertEquals(1, questions.get(0).get("id").asInt());
        assertEquals("친구에게 꼭 소개시켜 주고 싶은 책은?", questions.get(0).get("ko").asText());
        assertFalse(questions.get(0).get("en").asText().isBlank());
    }

    @Test
    void concurrentRegistrationsOfOneIdOnlyOneSucceeds() throws Exception {
        int clients = 8;
        String memberId = valid().get("memberId").toString();
        long before = web.count("member");
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Map<String, Object> body = valid();
            body.put("memberId", i % 2 == 0 ? memberId : memberId.toUpperCase());
            responses.add(web.client.sendAsync(web.postRequest(MEMBERS, JSON_TYPE, json(body)), HttpResponse.BodyHandlers.ofString()));
        }
        int created = 0, conflicts = 0;
        for (var future : responses) {
            HttpResponse<String> r = future.get();
            if (r.statusCode() == 201) created++;
            if (r.statusCode() == 409 && error(r).get("code").asText().equals("MEMBER_ID_TAKEN")) conflicts++;
        }
        assertEquals(1, created);
        assertEquals(clients - 1, conflicts);
        assertEquals(before + 1, web.count("member"));
    }

    @Test
    void malformedJsonIsRefused() throws Exception {
        long before = web.count("member");
        for (String body : List.of("{\"name\":", "", "not json", "{\"memberId\":\"a\"} trailing",
                "{\"password\":\"Secret12\",\"password\":\"Other123\"}")) {
            HttpResponse<String> response = web.post(MEMBERS, JSON_TYPE, body);
            assertEquals(400, response.statusCode(), body);
            assertEquals("MALFORMED_JSON", error(response).get("code").asText(), body);
        }
        HttpResponse<String> array = web.post(MEMBERS, JSON_TYPE, "[1,2]");
        assertEquals("NOT_JSON_OBJECT", error(array).get("code").asText());
        assertEquals(before, web.count("member"));
    }

    @Test
    void wrongContentTypeIsRefused() throws Exception {
        long before = web.count("member");
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "application/json; charset=iso-8859-1", null}) {
            HttpResponse<String> response = web.post(MEMBERS, type, json(valid()));
            assertEquals(415, response.statusCode(), String.valueOf(type));
            assertEquals("UNSUPPORTED_MEDIA_TYPE", error(response).get("code").asText());
        }
        assertEquals(201, web.post(MEMBERS, "application/json; charset=UTF-8", json(valid())).statusCode());
        assertEquals(before + 1, web.count("member"));
    }

    @Test
    void tooLargeBodyIsRefused() throws Exception {
        long before = web.count("member");
        Map<String, Object> body = with("securityAnswer", "x".repeat(70 * 1024));
        HttpResponse<String> response = register(body);
        assertEquals(413, response.statusCode());
        assertEquals("BODY_TOO_LARGE", error(response).get("code").asText());
        assertEquals(before, web.count("member"));
        // the connection stays usable
        assertEquals(200, web.get("/api/v1/security-questions").statusCode());
    }

    @Test
    void unknownPathAndWrongMethod() throws Exception {
        HttpResponse<String> notFound = web.get("/api/v1/nothing-here");
        assertEquals(404, notFound.statusCode());
        assertEquals("NOT_FOUND", error(notFound).get("code").asText());

        HttpResponse<String> wrongMethod = web.get(MEMBERS);
        assertEquals(405, wrongMethod.statusCode());
        assertEquals("METHOD_NOT_ALLOWED", error(wrongMethod).get("code").asText());
        assertEquals("POST", wrongMethod.headers().firstValue("Allow").orElse(""));

        HttpResponse<String> postToGet = web.post("/api/v1/security-questions", JSON_TYPE, "{}");
        assertEquals(405, postToGet.statusCode());
    }

    @Test
    void devKeyFileIsMarkedAsDevelopmentKey() {
        // guard for the test itself: the dev key file exists and is marked as a development key
        String text = readKeyFile();
        assertTrue(text.startsWith("# DEVELOPMENT KEY — NOT FOR PRODUCTION"), "dev key header");
        assertTrue(HexFormat.isHexDigit(text.charAt(text.indexOf("national-id.key.1=") + 18)));
    }

    private static String readKeyFile() {
        try {
            return java.nio.file.Files.readString(WebTestServer.root().resolve("cfg/keys/dev-member.properties"));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
