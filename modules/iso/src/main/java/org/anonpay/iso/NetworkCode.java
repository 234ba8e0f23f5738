// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.iso;

/** Field 70 network management information codes carried by 0800/0810. */
public final class NetworkCode {
    public static final String SIGN_ON = "001";
    public static final String SIGN_OFF = "002";
    public static final String ECHO = "301";

    private NetworkCode() {
    }
}
