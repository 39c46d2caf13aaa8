/**
 * cgroups for pods and containers: detection of the host's hierarchies ({@link
 * io.capstan.node.cgroup.CgroupHost}), one {@link io.capstan.node.cgroup.CgroupDriver} per cgroup
 * version ({@link io.capstan.node.cgroup.V1Driver} for legacy and hybrid hosts, {@link
 * io.capstan.node.cgroup.V2Driver} for unified ones), the Kubernetes layout of pod and container
 * cgroups with limits, stats, OOM counters, kill and removal ({@link
 * io.capstan.node.cgroup.PodCgroups}), and the QoS and resource math from a pod spec ({@link
 * io.capstan.node.cgroup.QosClass}, {@link io.capstan.node.cgroup.Resources}). Plain file I/O
 * only; processes join a cgroup themselves by writing 0 to the {@code cgroup.procs} files this
 * package names. See docs/cgroups.md.
 */
package io.capstan.node.cgroup;
