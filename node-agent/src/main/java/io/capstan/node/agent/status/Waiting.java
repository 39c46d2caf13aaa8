package io.capstan.node.agent.status;

/**
 * Why a container is not running although it should: a Kubernetes waiting reason (CrashLoopBackOff,
 * ErrImagePull, CreateContainerConfigError, ...) and its message.
 */
public record Waiting(String reason, String message) {}
