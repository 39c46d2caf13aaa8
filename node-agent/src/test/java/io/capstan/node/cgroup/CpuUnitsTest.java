package io.capstan.node.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The numbers Kubernetes documents and computes for the same requests and limits. */
class CpuUnitsTest {

    @Test
    void sharesFromRequests() {
        assertEquals(2, CpuUnits.milliCpuToShares(0), "no request: the minimum");
        assertEquals(2, CpuUnits.milliCpuToShares(1), "1m would be 1 share; clamped to 2");
        assertEquals(102, CpuUnits.milliCpuToShares(100));
        assertEquals(512, CpuUnits.milliCpuToShares(500));
        assertEquals(1024, CpuUnits.milliCpuToShares(1000));
        assertEquals(262144, CpuUnits.milliCpuToShares(300_000), "clamped to the kernel's maximum");
    }

    @Test
    void quotaFromLimits() {
        assertEquals(0, CpuUnits.milliCpuToQuota(0), "no limit, no quota");
        assertEquals(1000, CpuUnits.milliCpuToQuota(1), "1m would be 100us; the kernel's minimum is 1ms");
        assertEquals(1000, CpuUnits.milliCpuToQuota(10));
        assertEquals(50_000, CpuUnits.milliCpuToQuota(500));
        assertEquals(100_000, CpuUnits.milliCpuToQuota(1000));
        assertEquals(250_000, CpuUnits.milliCpuToQuota(2500));
    }

    @Test
    void weightFromShares() {
        assertEquals(1, CpuUnits.sharesToWeight(2));
        assertEquals(39, CpuUnits.sharesToWeight(1024), "one cpu");
        assertEquals(10_000, CpuUnits.sharesToWeight(262_144));
        assertEquals(20, CpuUnits.sharesToWeight(512));
    }
}
