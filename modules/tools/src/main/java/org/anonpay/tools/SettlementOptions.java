// SPDX-License-Identifier: AGPL-3.0-or-later
package org.anonpay.tools;

import java.nio.file.Path;
import org.anonpay.settlement.SettlementConfig;
import picocli.CommandLine.Option;

/** The settlement settings file and the output folder, shared by settle, reconcile and expire-authorizations. */
final class SettlementOptions {

    @Option(names = "--settlement-config", defaultValue = "cfg/settlement/settlement.properties", paramLabel = "FILE",
            description = "settlement settings: output folder, business zone and cut-over, fees, expiry days (default: ${DEFAULT-VALUE})")
    Path configFile;

    @Option(names = "--out", paramLabel = "DIR", description = "folder of the settlement files (default: output.dir of the settings)")
    Path out;

    SettlementConfig config() {
        SettlementConfig config = SettlementConfig.load(configFile);
        return out == null ? config : config.withOutputDir(out);
    }
}
