package io.capstan.node.runtime;

import io.capstan.node.cri.SandboxStatus;
import io.capstan.node.shim.ShimProcess;
import java.time.Instant;

/**
 * A pod sandbox the runtime knows: its record and its namespace holder ({@code null} if the
 * holder never started, e.g. the agent died while creating it).
 *
 * @param record what was asked for
 * @param holder the holder's shim, or {@code null}
 * @param holderPid the holder's host pid, 0 if unknown
 */
record SandboxEntry(SandboxRecord record, ShimProcess holder, long holderPid) {
    static final String RECORD = "sandbox.json";

    boolean ready() {
        return holder != null && holderPid > 0 && holder.isRunning();
    }

    SandboxStatus status() {
        String netns = holderPid > 0 ? "/proc/" + holderPid + "/ns/net" : record.netnsPath();
        return new SandboxStatus(record.podUid(), record.namespace(), record.name(), ready(),
                Instant.parse(record.createdAt()), netns);
    }
}
