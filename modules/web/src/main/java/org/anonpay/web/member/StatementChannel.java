// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.member;

/** How the member receives the next-day transaction statement (patent b12, claim 10). */
public enum StatementChannel { EMAIL, SMS }
