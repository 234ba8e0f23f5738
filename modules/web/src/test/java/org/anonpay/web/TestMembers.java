// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Valid registrations, unique per call, and resident registration numbers with a correct check digit. */
final class TestMembers {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger SEQ = new AtomicInteger(1000);

    private TestMembers() {}

    /** A valid registration body with a fresh member ID and nickname. */
    static Map<String, Object> valid() {
        int n = SEQ.incrementAndGet();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "홍길동");
        m.put("nameLatin", "HONG GILDONG");
        m.put("nationalId", rrn("900115-1", "12345"));
        m.put("birthDate", "1990-01-15");
        m.put("birthCalendar", "SOLAR");
        m.put("memberId", "member" + n);
        m.put("password", "Secret" + n % 100 + "x");
        m.put("passwordConfirm", m.get("password"));
        m.put("securityQuestionId", 3);
        m.put("securityAnswer", "5월 5일");
        m.put("nickname", "닉" + n);
        m.put("email", "member" + n + "@example.com");
        m.put("mobile", "010-1234-" + String.format("%04d", n % 10000));
        m.put("statementChannel", "EMAIL");
        return m;
    }

    static Map<String, Object> with(String field, Object value) {
        Map<String, Object> m = valid();
        m.put(field, value);
        return m;
    }

    /** {@code prefix} is "YYMMDD-G", {@code middle} 5 digits; appends the check digit. */
    static String rrn(String prefix, String middle) {
        String twelve = prefix.replace("-", "") + middle;
        assert twelve.length() == 12;
        int[] w = {2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5};
        int sum = 0;
        for (int i = 0; i < 12; i++) sum += w[i] * (twelve.charAt(i) - '0');
        return prefix + middle + (11 - sum % 11) % 10;
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }
}
