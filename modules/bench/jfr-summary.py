#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Where the host's time goes, from a JFR recording of a bench run (modules/bench/run.sh --jfr).

    python3 modules/bench/jfr-summary.py modules/bench/target/bench-run/host.jfr

Prints (1) CPU per thread (JIT compiler threads vs. the carriers of the virtual threads),
(2) execution samples per component (a sample counts for every component on its stack),
(3) the Hibernate calls anonpay makes, by samples under them, (4) jPOS's own per-participant
events (jpos.TMPrepare / jpos.TMCommit): wall time per participant, waits included.
Needs `jfr` (the JDK's) on the PATH or in JAVA_HOME/bin.
"""
import collections
import json
import os
import re
import shutil
import subprocess
import sys

COMPONENTS = [
    ("Hibernate (HQL translation, persist/flush, entity loading)", "org.hibernate."),
    ("MySQL Connector/J (JDBC driver)", "com.mysql."),
    ("HikariCP (pool and statement proxies)", "com.zaxxer."),
    ("anonpay ledger (plain JDBC)", "org.anonpay.ledger."),
    ("jPOS ISO packing and channel", "org.jpos.iso."),
    ("jPOS util (LogEvent/FrozenLogEvent, Profiler)", "org.jpos.util."),
    ("jPOS TSpace", "org.jpos.space."),
    ("java.util.Formatter (String.format)", "java.util.Formatter."),
    ("SLF4J logging", "org.slf4j."),
    ("Micrometer metrics", "io.micrometer."),
    ("JCE crypto", "javax.crypto."),
]


def jfr_tool():
    home = os.environ.get("JAVA_HOME")
    if home and os.path.exists(os.path.join(home, "bin", "jfr")):
        return os.path.join(home, "bin", "jfr")
    return shutil.which("jfr") or sys.exit("jfr not found: set JAVA_HOME to a JDK")


def events(recording, names, depth=96):
    out = subprocess.run([jfr_tool(), "print", "--json", "--stack-depth", str(depth), "--events", names, recording],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["recording"]["events"]


def frames(event):
    trace = event["values"].get("stackTrace") or {}
    return [(f["method"]["type"]["name"] + "." + f["method"]["name"]).replace("/", ".") for f in trace.get("frames", [])]


def millis(duration):
    m = re.match(r"PT(?:(\d+)M)?([0-9.]+)S", duration)
    return (int(m.group(1) or 0) * 60 + float(m.group(2))) * 1000 if m else 0.0


def thread_cpu(recording):
    print("== CPU per thread (share of the whole machine, averaged over the recording)")
    cpu = collections.defaultdict(float)
    samples = collections.Counter()
    for e in events(recording, "jdk.ThreadCPULoad", 1):
        name = e["values"]["eventThread"]["javaName"] if e["values"].get("eventThread") else "?"
        cpu[name] += e["values"]["user"] + e["values"]["system"]
        samples[name] += 1
    for name, total in sorted(cpu.items(), key=lambda kv: -kv[1])[:8]:
        print(f"{100 * total / samples[name]:6.2f}%  {name}")


def execution_samples(recording):
    sampled = [frames(e) for e in events(recording, "jdk.ExecutionSample")]
    n = max(1, len(sampled))
    print(f"\n== {len(sampled)} execution samples by component")
    per_component = collections.Counter()
    hibernate_calls = collections.Counter()
    for stack in sampled:
        for label, prefix in COMPONENTS:
            if any(f.startswith(prefix) for f in stack):
                per_component[label] += 1
        outer = [i for i, f in enumerate(stack) if f.startswith("org.hibernate.")]
        if outer and outer[-1] + 1 < len(stack):
            hibernate_calls[stack[outer[-1] + 1] + " -> " + stack[outer[-1]]] += 1
    for label, count in per_component.most_common():
        print(f"{100 * count / n:6.1f}%  {label}")
    print("\n== Hibernate calls from anonpay (caller -> Hibernate API), by samples under them")
    for call, count in hibernate_calls.most_common(12):
        print(f"{100 * count / n:6.1f}%  {call}")


def participants(recording):
    print("\n== jPOS transaction manager: wall time per participant (waits for locks, I/O and CPU included)")
    per = collections.defaultdict(lambda: [0, 0.0])
    for e in events(recording, "jpos.TMPrepare,jpos.TMCommit", 1):
        key = e["type"].split(".")[-1] + " " + e["values"]["name"].split(".")[-1]
        per[key][0] += 1
        per[key][1] += millis(e["values"]["duration"])
    total = sum(v[1] for v in per.values()) or 1
    for key, (count, ms) in sorted(per.items(), key=lambda kv: -kv[1][1])[:14]:
        print(f"{100 * ms / total:6.1f}%  {key:40s} n={count:7d} mean={ms / count:7.3f} ms")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    thread_cpu(sys.argv[1])
    execution_samples(sys.argv[1])
    participants(sys.argv[1])
