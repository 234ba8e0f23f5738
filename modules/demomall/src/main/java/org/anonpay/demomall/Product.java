// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.demomall;

/** One item of a shop's catalogue; prices in KRW (no minor unit). */
record Product(String id, String name, String nameKo, String description, long priceKrw) {}
