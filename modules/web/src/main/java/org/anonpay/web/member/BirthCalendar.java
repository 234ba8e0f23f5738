// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.web.member;

/** Whether the birth date is given in the solar (Gregorian) or the Korean lunar calendar (양력/음력). */
public enum BirthCalendar { SOLAR, LUNAR }
