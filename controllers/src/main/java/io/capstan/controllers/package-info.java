/**
 * Controllers and the scheduler: a small runtime modelled on controller-runtime over Fabric8
 * informers ({@code runtime}), shared metadata helpers ({@code meta}), and one package per
 * controller ({@code replicaset}, {@code endpoints}, {@code endpointslice}, ...). Controllers are clients of the API only, never of
 * storage. Start with the {@code runtime} package's documentation.
 */
package io.capstan.controllers;
