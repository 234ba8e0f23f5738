// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.iso;

import java.io.IOException;
import java.io.InputStream;

import org.jpos.core.Configuration;
import org.jpos.core.ConfigurationException;
import org.jpos.iso.ISOException;
import org.jpos.iso.packager.GenericPackager;

/**
 * The anonpay ISO 8583:1987 packager: ASCII MTI and fields, binary bitmap, defined by the
 * classpath resource {@value #RESOURCE} (copied from the repository's {@code packager/} folder).
 *
 * <p>It can be named directly as a Q2 channel packager ({@code packager="org.anonpay.iso.AnonpayPackager"})
 * without a {@code packager-config} property; {@link AnonpayChannel} uses it when none is given.
 *
 * <p>Never give it a packager logger ({@code packager-logger}): jPOS would log every unpacked
 * image in hex, PAN and PIN block included.
 */
public class AnonpayPackager extends GenericPackager {
    public static final String RESOURCE = "packager/iso87-anonpay.xml";

    /** Loads the definition from the classpath; prefer the shared {@link #load()}. */
    public AnonpayPackager() throws ISOException {
        super();
        try (InputStream in = definitionStream()) {
            readFile(in);
        } catch (IOException e) {
            throw new ISOException("packager definition " + RESOURCE + " does not read", e);
        }
    }

    /** The shared packager. jPOS field packagers keep no per-message state, so one instance serves all channels. */
    public static AnonpayPackager load() {
        return Holder.INSTANCE;
    }

    /** A Q2 descriptor may still point at another definition with {@code packager-config}; without it, keep ours. */
    @Override
    public void setConfiguration(Configuration cfg) throws ConfigurationException {
        if (cfg.get("packager-config", null) != null) {
            super.setConfiguration(cfg);
        }
    }

    private static InputStream definitionStream() throws ISOException {
        InputStream in = AnonpayPackager.class.getClassLoader().getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new ISOException("packager definition " + RESOURCE + " is not on the classpath");
        }
        return in;
    }

    private static final class Holder {
        static final AnonpayPackager INSTANCE = create();

        private static AnonpayPackager create() {
            try {
                return new AnonpayPackager();
            } catch (ISOException e) {
                throw new IllegalStateException("anonpay packager definition does not load: " + e.getMessage(), e);
            }
        }
    }
}
